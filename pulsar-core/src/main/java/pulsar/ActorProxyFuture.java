package pulsar;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pulsar.impl.loop.LoopThreads;

/**
 * The result of {@link Pulsar#spawn(Spawn)}: the spawned actor's {@link #aid()} at once, and
 * its {@link ActorProxy} when the handshake and {@code onStart} are done. It fails with a
 * {@link PulsarException} naming the cause when {@code onStart} throws, the child cannot start
 * or the handshake times out. Blocking on it from an actor's loop thread fails at once with an
 * {@link IllegalStateException}: chain a callback instead.
 */
public final class ActorProxyFuture extends CompletableFuture<ActorProxy> {
    private final String aid;

    /** The spawn of actor {@code aid}, completing as {@code proxy} does; made by {@link Pulsar#spawn(Spawn)} only. */
    ActorProxyFuture(String aid, CompletableFuture<ActorProxy> proxy) {
        this.aid = java.util.Objects.requireNonNull(aid, "aid");
        proxy.whenComplete((p, e) -> {
            if (e != null) {
                completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                complete(p);
            }
        });
    }

    /** The spawned actor's id, known before it has started. */
    public String aid() {
        return aid;
    }

    @Override
    public ActorProxy get() throws InterruptedException, ExecutionException {
        LoopThreads.checkMayBlock(this);
        return super.get();
    }

    @Override
    public ActorProxy get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        LoopThreads.checkMayBlock(this);
        return super.get(timeout, unit);
    }

    @Override
    public ActorProxy join() {
        LoopThreads.checkMayBlock(this);
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return LoopThreads.newFuture();
    }

    @Override
    public String toString() {
        return "ActorProxyFuture[" + aid + ", " + super.toString() + "]";
    }
}
