package pulsar.redis.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends items in batches with at most {@code maxInFlight} batches in flight: an item added while
 * those are busy waits for the next batch. Idle, an item goes at once (a batch of one); busy,
 * batches grow by themselves, so one script call serves many tasks.
 *
 * @param <T> an item
 * @param <R> its reply
 */
final class Batcher<T, R> {
    private record Item<T, R>(T value, CompletableFuture<R> future) {
    }

    private final ConcurrentLinkedQueue<Item<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final int maxBatch;
    private final Function<List<T>, CompletableFuture<List<R>>> sender;

    Batcher(int maxInFlight, int maxBatch, Function<List<T>, CompletableFuture<List<R>>> sender) {
        this.maxInFlight = maxInFlight;
        this.maxBatch = maxBatch;
        this.sender = sender;
    }

    CompletableFuture<R> add(T value) {
        CompletableFuture<R> f = new CompletableFuture<>();
        queue.add(new Item<>(value, f));
        drain();
        return f;
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int n = inFlight.get();
            if (n >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            List<Item<T, R>> batch = new ArrayList<>(Math.min(maxBatch, 64));
            Item<T, R> it;
            while (batch.size() < maxBatch && (it = queue.poll()) != null) {
                batch.add(it);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            List<T> values = new ArrayList<>(batch.size());
            batch.forEach(b -> values.add(b.value()));
            CompletableFuture<List<R>> sent;
            try {
                sent = sender.apply(values);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((replies, failure) -> {
                for (int i = 0; i < batch.size(); i++) {
                    if (failure != null) {
                        batch.get(i).future().completeExceptionally(failure);
                    } else if (replies == null || i >= replies.size()) {
                        batch.get(i).future().completeExceptionally(new IllegalStateException("no reply for item " + i));
                    } else {
                        batch.get(i).future().complete(replies.get(i));
                    }
                }
                inFlight.decrementAndGet();
                drain();
            });
        }
    }
}
