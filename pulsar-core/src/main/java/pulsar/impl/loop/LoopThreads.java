package pulsar.impl.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import pulsar.Actor;

/** Which actor controls the current thread, and the guard against blocking a loop thread. */
public final class LoopThreads {
    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<EventLoopImpl> LOOP = new ThreadLocal<>();

    private LoopThreads() {
    }

    /** The actor whose loop runs on this thread, or {@code null}. */
    public static Actor currentActor() {
        return CURRENT.get();
    }

    /**
     * The loop running on this thread, or {@code null}; on a CPU-bound actor's request loop,
     * the actor's I/O loop, which completes what the request loop may block on.
     */
    public static EventLoopImpl currentLoop() {
        EventLoopImpl loop = LOOP.get();
        return loop == null ? null : loop.ioLoop();
    }

    static void enter(EventLoopImpl loop, Actor actor) {
        LOOP.set(loop);
        CURRENT.set(actor);
    }

    static void exit() {
        LOOP.remove();
        CURRENT.remove();
    }

    /** Binds the actor of a loop once the actor object exists (the loop may start first). */
    static void bindActor(Actor actor) {
        CURRENT.set(actor);
    }

    /**
     * Runs {@code body} on {@code loop}'s thread on behalf of {@code actor}, a co-located actor
     * of that shared loop: {@code Pulsar.getActor()} is {@code actor} meanwhile, and the loop
     * knows whose code it runs (a kill of that actor interrupts it). Call on the loop.
     */
    public static void runAs(EventLoopImpl loop, Actor actor, Runnable body) {
        Actor before = CURRENT.get();
        Actor runningBefore = loop.runningFor;
        CURRENT.set(actor);
        loop.runningFor = actor;
        try {
            body.run();
        } finally {
            loop.runningFor = runningBefore;
            CURRENT.set(before);
            if (runningBefore == null) {
                Thread.interrupted(); // a kill may have interrupted this actor's code: its loop-mates run on uninterrupted
            }
        }
    }

    /**
     * Fails at once when a loop thread would block on a future that is not done: the loop
     * would wait for itself, since replies arrive on loops.
     */
    public static void checkMayBlock(Future<?> future) {
        EventLoopImpl loop = LOOP.get();
        if (loop != null && !loop.mayBlock() && !future.isDone()) {
            Actor actor = CURRENT.get();
            throw new IllegalStateException("cannot block on a future from the event loop thread '"
                    + Thread.currentThread().getName() + "'" + (actor == null ? "" : " of actor " + actor.aid())
                    + ": it would stop the loop that completes it; chain a callback (thenAccept, whenComplete) instead");
        }
    }

    /** A future whose blocking calls are guarded by {@link #checkMayBlock}. */
    public static <T> CompletableFuture<T> newFuture() {
        return new GuardedFuture<>();
    }

    /** A {@link CompletableFuture} that refuses to block a loop thread. */
    static final class GuardedFuture<T> extends CompletableFuture<T> {
        @Override
        public T get() throws InterruptedException, java.util.concurrent.ExecutionException {
            checkMayBlock(this);
            return super.get();
        }

        @Override
        public T get(long timeout, java.util.concurrent.TimeUnit unit)
                throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            checkMayBlock(this);
            return super.get(timeout, unit);
        }

        @Override
        public T join() {
            checkMayBlock(this);
            return super.join();
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new GuardedFuture<>();
        }
    }
}
