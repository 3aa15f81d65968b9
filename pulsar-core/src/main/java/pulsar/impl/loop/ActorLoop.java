package pulsar.impl.loop;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import pulsar.Actor;
import pulsar.EventLoop;
import pulsar.ServerOptions;

/**
 * The loop of a co-located actor as that actor sees it: a shared {@link EventLoopImpl} whose
 * callbacks run with the actor bound ({@code Pulsar.getActor()} is that actor, a kill of the
 * actor may interrupt them). {@link #stop()} stops the actor, never the loop its mates share.
 */
public final class ActorLoop implements EventLoop {
    private final EventLoopImpl shared;
    private final Actor actor;
    /** Set when the actor is dropped (killed): no more of its code is started on the loop. */
    private volatile boolean closed;

    /** {@code actor}'s view of {@code shared}. */
    public ActorLoop(EventLoopImpl shared, Actor actor) {
        this.shared = shared;
        this.actor = actor;
    }

    /** The shared loop underneath. */
    public EventLoopImpl shared() {
        return shared;
    }

    /**
     * The actor was dropped (killed): its timers and scheduled callbacks that have not run yet,
     * and any work asked for later, do not run (tasks already queued with {@link #execute} do).
     */
    public void close() {
        closed = true;
    }

    private Runnable bound(Runnable callback) {
        return () -> {
            if (!closed) {
                LoopThreads.runAs(shared, actor, callback);
            }
        };
    }

    @Override
    public void execute(Runnable command) {
        if (!closed) {
            shared.executeAs(actor, command);
        }
    }

    @Override
    public Handle callSoon(Runnable callback) {
        return shared.callSoon(bound(callback));
    }

    @Override
    public Handle callLater(Duration delay, Runnable callback) {
        return shared.callLater(delay, bound(callback));
    }

    @Override
    public Handle callAt(double when, Runnable callback) {
        return shared.callAt(when, bound(callback));
    }

    @Override
    public Handle callRepeatedly(Duration interval, Runnable callback) {
        return shared.callRepeatedly(interval, bound(callback));
    }

    @Override
    public double time() {
        return shared.time();
    }

    @Override
    public <T> CompletableFuture<T> runInExecutor(Callable<T> work) {
        return shared.runInExecutor(work);
    }

    @Override
    public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> work) {
        return shared.runInExecutor(executor, work);
    }

    @Override
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        return shared.addReader(channel, bound(callback));
    }

    @Override
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        return shared.addWriter(channel, bound(callback));
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        return shared.removeReader(channel);
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        return shared.removeWriter(channel);
    }

    @Override
    public CompletableFuture<Channel> createServer(InetSocketAddress address, ServerOptions options, ChannelInitializer<Channel> initializer) {
        return shared.createServer(address, options, initializer);
    }

    @Override
    public CompletableFuture<Channel> createConnection(InetSocketAddress address, ChannelInitializer<Channel> initializer) {
        return shared.createConnection(address, initializer);
    }

    @Override
    public boolean inLoop() {
        return shared.inLoop();
    }

    @Override
    public boolean isRunning() {
        return shared.isRunning();
    }

    /** Stops the actor (the loop is shared and goes on); completes when the actor has stopped. */
    @Override
    public CompletableFuture<Void> stop() {
        return actor.stop();
    }

    @Override
    public io.netty.channel.EventLoop netty() {
        return shared.netty();
    }

    @Override
    public String toString() {
        return "EventLoop[" + shared + " shared, actor " + actor.aid() + "]";
    }
}
