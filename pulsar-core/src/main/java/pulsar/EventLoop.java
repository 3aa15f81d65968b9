package pulsar;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import pulsar.impl.loop.EventLoopImpl;

/**
 * An event loop after PEP 3156: one thread running callbacks, timers and I/O, backed by a single
 * Netty event loop (epoll on Linux, NIO elsewhere, or NIO everywhere with {@code -Dpulsar.nio=true}).
 * Every actor has one ({@code actor.loop()}); {@link #create()} makes one of your own, without any
 * actor or arbiter, to use pulsar as a plain asynchronous library. Every method may be called from
 * any thread; callbacks always run on the loop thread. Callbacks must not block: use
 * {@link #runInExecutor(Callable)} for blocking work. A callback that throws is logged and the
 * loop goes on.
 */
public interface EventLoop extends Executor {
    /**
     * A new running loop of your own: no arbiter, no actor ({@link Pulsar#getActor()} is
     * {@code null} in its callbacks), nothing else started. Callbacks, timers, readers and writers,
     * and the servers and connections it creates all run on its one thread, named
     * {@code pulsar-loop-N}; {@link #runInExecutor(Callable)} runs work on virtual threads and
     * completes on the loop. The thread is not a daemon: it keeps the JVM alive until
     * {@link #stop()}, which closes what runs on the loop and ends the thread.
     *
     * <pre>{@code
     * EventLoop loop = EventLoop.create();
     * loop.callLater(Duration.ofSeconds(1), () -> System.out.println("a second later, on " + Thread.currentThread()));
     * ...
     * loop.stop().join();
     * }</pre>
     *
     * @return the loop, already running
     */
    static EventLoop create() {
        return EventLoopImpl.standalone();
    }

    /** A scheduled callback or registration that can be cancelled. */
    interface Handle {
        /** Cancels it; a no-op when already run (for one-shot calls) or cancelled. */
        void cancel();

        /** Whether {@link #cancel()} was called. */
        boolean isCancelled();
    }

    /** Runs {@code callback} on the loop as soon as possible, after callbacks already queued. */
    Handle callSoon(Runnable callback);

    /** Runs {@code callback} once after {@code delay}. */
    Handle callLater(Duration delay, Runnable callback);

    /** Runs {@code callback} once when {@link #time()} reaches {@code when} (seconds). */
    Handle callAt(double when, Runnable callback);

    /** Runs {@code callback} every {@code interval} until the handle is cancelled or the loop stops. */
    Handle callRepeatedly(Duration interval, Runnable callback);

    /** The loop's monotonic clock, in seconds; the time base of {@link #callAt}. */
    double time();

    /**
     * Runs blocking work on an executor (virtual threads) and completes on this loop.
     *
     * @return completes, on this loop's thread, with the callable's result or failure
     */
    <T> CompletableFuture<T> runInExecutor(Callable<T> work);

    /** Runs blocking work on {@code executor} and completes on this loop. */
    <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> work);

    /**
     * Calls {@code callback} on the loop whenever {@code channel} is readable, until
     * {@link #removeReader} is called (level-triggered: again and again while data is left). The
     * channel is put into non-blocking mode. No JVM flag is needed: on an epoll loop, a JVM started
     * with {@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED} watches JDK channels in the loop's
     * own epoll set, any other JVM through one shared watcher thread (a thread hop more per event;
     * NIO loops need neither).
     */
    Handle addReader(SelectableChannel channel, Runnable callback);

    /** Calls {@code callback} on the loop whenever {@code channel} is writable. */
    Handle addWriter(SelectableChannel channel, Runnable callback);

    /** Stops watching {@code channel} for reads; returns whether it was watched. */
    boolean removeReader(SelectableChannel channel);

    /** Stops watching {@code channel} for writes; returns whether it was watched. */
    boolean removeWriter(SelectableChannel channel);

    /**
     * Opens a TCP server on this loop with {@link ServerOptions#defaults()}; accepted connections are
     * served on this loop too.
     *
     * @return completes, on this loop, with the bound server channel, or fails as
     *     {@link #createServer(InetSocketAddress, ServerOptions, ChannelInitializer)} does
     */
    default CompletableFuture<Channel> createServer(InetSocketAddress address, ChannelInitializer<Channel> initializer) {
        return createServer(address, ServerOptions.defaults(), initializer);
    }

    /**
     * Opens a TCP server on this loop with {@code options} (port sharing, accept queue); accepted
     * connections are served on this loop too, {@code initializer} running on it for each. Servers on
     * several loops may share one port with {@link ServerOptions#withReusePort(boolean)}.
     *
     * @return completes, on this loop, with the bound server channel; fails with a
     *     {@link java.net.BindException} naming the address and options when the bind fails (for
     *     example a port in use without port sharing), or with an {@link UnsupportedOperationException}
     *     when the transport cannot share ports on this platform
     */
    CompletableFuture<Channel> createServer(InetSocketAddress address, ServerOptions options,
            ChannelInitializer<Channel> initializer);

    /**
     * Opens a TCP connection served on this loop.
     *
     * @return completes with the connected channel
     */
    CompletableFuture<Channel> createConnection(InetSocketAddress address, ChannelInitializer<Channel> initializer);

    /** Whether the calling thread is this loop's thread. */
    boolean inLoop();

    /** Whether the loop runs (started and not stopped). */
    boolean isRunning();

    /**
     * Stops the loop: pending callbacks are dropped; the servers and connections made by
     * {@link #createServer} and {@link #createConnection}, and the connections those servers accepted,
     * are closed; readers and writers are removed, their channels left open (they are yours). Channels
     * you registered on {@link #netty()} yourself are closed by Netty, or by you before stopping.
     *
     * @return completes when the loop thread has ended
     */
    CompletableFuture<Void> stop();

    /** The Netty event loop underneath, for Netty handlers and bootstraps of your own. */
    io.netty.channel.EventLoop netty();
}
