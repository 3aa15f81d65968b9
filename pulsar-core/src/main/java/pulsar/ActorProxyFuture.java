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

    /** A pending spawn of the actor {@code aid}. */
    public ActorProxyFuture(String aid) {
        this.aid = java.util.Objects.requireNonNull(aid, "aid");
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
