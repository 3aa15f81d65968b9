package pulsar.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import pulsar.EventLoop;

/**
 * Drives sends from code running on an actor's loop (the arbiter's): each reply completes on
 * that loop and its callback sends the next request, so nothing ever blocks the loop. The same
 * shapes as {@link RawNetty.Run}: warmup + total calls, {@code window} outstanding; with window 1
 * a nanoTime sample around every measured call.
 */
final class PulsarPinger {
    private final EventLoop loop;
    private final Supplier<CompletableFuture<Object>> send;
    private final RawNetty.Run run;
    private final int all;
    private int sent;
    private int received;

    private PulsarPinger(EventLoop loop, Supplier<CompletableFuture<Object>> send, RawNetty.Run run) {
        this.loop = loop;
        this.send = send;
        this.run = run;
        this.all = run.warmup + run.total;
    }

    /** Runs {@code run} on {@code loop}, sending with {@code send}; completes when it is over. */
    static CompletableFuture<RawNetty.Run> start(EventLoop loop, Supplier<CompletableFuture<Object>> send, RawNetty.Run run) {
        PulsarPinger p = new PulsarPinger(loop, send, run);
        loop.execute(p::begin);
        return run.done;
    }

    private void begin() {
        if (run.warmup == 0) {
            run.startNanos = System.nanoTime();
        }
        int first = Math.min(run.window, all);
        for (int i = 0; i < first; i++) {
            sendOne();
        }
    }

    private void sendOne() {
        sent++;
        long t0 = System.nanoTime();
        CompletableFuture<Object> reply = send.get();
        if (reply.isDone()) {
            loop.execute(() -> onReply(t0, reply)); // no recursion on a synchronous reply
        } else {
            reply.whenComplete((v, e) -> onReply(t0, reply));
        }
    }

    private void onReply(long t0, CompletableFuture<Object> reply) {
        long now = System.nanoTime();
        if (run.done.isDone()) {
            return;
        }
        if (reply.isCompletedExceptionally()) {
            run.done.completeExceptionally(reply.exceptionNow());
            return;
        }
        received++;
        if (received > run.warmup && run.samples != null) {
            run.samples[received - run.warmup - 1] = now - t0;
        }
        if (received == run.warmup) {
            run.startNanos = now;
        }
        if (received == all) {
            run.endNanos = now;
            run.done.complete(run);
            return;
        }
        if (sent < all) {
            sendOne();
        }
    }
}
