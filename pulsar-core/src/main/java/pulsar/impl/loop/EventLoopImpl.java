package pulsar.impl.loop;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Actor;
import pulsar.EventLoop;
import pulsar.ServerOptions;

/**
 * {@link EventLoop} over one Netty {@code IoEventLoop}. The loop runs either on a new thread
 * or, for {@link #runInCallingThread()}, on the thread that calls it (the arbiter's
 * {@code run()}, a process actor's main thread).
 */
public final class EventLoopImpl implements EventLoop {
    private static final Logger log = LoggerFactory.getLogger(EventLoopImpl.class);
    private static final long ORIGIN = System.nanoTime();
    private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("pulsar.nio");
    private static final AtomicInteger STANDALONE_COUNT = new AtomicInteger();
    private static final ExecutorService BLOCKING = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("pulsar-blocking-", 0).factory());

    private final String threadName;
    private final boolean callingThread;
    private final boolean daemon;
    private final boolean epoll;
    private final BlockingQueue<Runnable> handoff = new ArrayBlockingQueue<>(1);
    private final MultiThreadIoEventLoopGroup group;
    private final io.netty.channel.EventLoop loop;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final ChannelWatches watches;
    private final ChannelGroup ownChannels;
    private volatile Actor actor;
    private volatile Thread thread;
    /** For a CPU-bound actor's request loop: the loop doing its I/O, since this one may block. */
    private volatile EventLoopImpl ioPeer;
    /** For a loop of a {@link SharedLoops} group: its member record; else {@code null}. */
    volatile Object shared;
    /** On a shared loop: the co-located actor whose callback runs now, or {@code null}. */
    volatile Actor runningFor;

    /**
     * {@code callingThread}: runs in {@link #runInCallingThread()}, else on a new thread ({@code daemon}
     * or not); NIO when {@code nio}, else epoll when available; {@code watchBackend} serves
     * addReader/addWriter ({@code null}: the transport's own, see {@link WatchBackend#forLoop}).
     */
    EventLoopImpl(String threadName, boolean callingThread, boolean daemon, boolean nio, WatchBackend watchBackend) {
        this.threadName = threadName;
        this.callingThread = callingThread;
        this.daemon = daemon;
        this.epoll = !nio && Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, (Executor) this::startThread, factory);
        this.loop = group.next();
        this.ownChannels = new DefaultChannelGroup(threadName, loop);
        this.watches = new ChannelWatches(this, watchBackend != null ? watchBackend : WatchBackend.forLoop(epoll));
        group.terminationFuture().addListener(f -> terminated.complete(null));
    }

    /** A loop that runs on a new daemon thread of that name, started at once. */
    public static EventLoopImpl onNewThread(String threadName) {
        return onNewThread(threadName, !EPOLL);
    }

    /** Like {@link #onNewThread(String)}, on the NIO transport when {@code nio}, else on epoll when available. */
    static EventLoopImpl onNewThread(String threadName, boolean nio) {
        return new EventLoopImpl(threadName, false, true, nio, null).start();
    }

    /**
     * {@link EventLoop#create()}: a loop on a new non-daemon thread, so that it keeps the JVM alive
     * until stopped, as a Netty event loop group does.
     */
    public static EventLoopImpl standalone() {
        return new EventLoopImpl("pulsar-loop-" + STANDALONE_COUNT.incrementAndGet(), false, false, !EPOLL, null).start();
    }

    /**
     * A CPU-bound actor's request loop, on a new daemon thread: code on it may block (on futures
     * too), so replies and connections it asks for are handled by {@code io}, the actor's I/O loop.
     */
    public static EventLoopImpl forRequests(String threadName, EventLoopImpl io) {
        EventLoopImpl l = new EventLoopImpl(threadName, false, true, !EPOLL, null);
        l.ioPeer = io;
        return l.start();
    }

    /** The loop that does this loop's I/O: itself, or the I/O loop of a request loop. */
    EventLoopImpl ioLoop() {
        EventLoopImpl peer = ioPeer;
        return peer != null ? peer : this;
    }

    /** Whether code on this loop may block (a request loop). */
    boolean mayBlock() {
        return ioPeer != null;
    }

    /** Starts a loop that runs on a new thread; returns it. */
    EventLoopImpl start() {
        loop.execute(() -> { });
        return this;
    }

    /** A loop that runs when its owner calls {@link #runInCallingThread()}. */
    public static EventLoopImpl forCallingThread(String threadName) {
        return forCallingThread(threadName, !EPOLL);
    }

    /** Like {@link #forCallingThread(String)}, on the NIO transport when {@code nio}, else on epoll when available. */
    static EventLoopImpl forCallingThread(String threadName, boolean nio) {
        return new EventLoopImpl(threadName, true, false, nio, null);
    }

    /** Whether loops use the epoll transport (else NIO). */
    public static boolean epoll() {
        return EPOLL;
    }

    /** Whether this loop uses the epoll transport (else NIO). */
    boolean usesEpoll() {
        return epoll;
    }

    /** The channels this loop watches for addReader/addWriter. */
    ChannelWatches channelWatches() {
        return watches;
    }

    private void startThread(Runnable nettyLoop) {
        Runnable body = () -> {
            thread = Thread.currentThread();
            LoopThreads.enter(this, actor);
            try {
                nettyLoop.run();
            } finally {
                LoopThreads.exit();
            }
        };
        if (callingThread) {
            if (!handoff.offer(body)) {
                throw new IllegalStateException("loop " + threadName + " was started twice");
            }
        } else {
            Thread t = new Thread(body, threadName);
            t.setDaemon(daemon);
            t.start();
        }
    }

    /** Runs the loop in the calling thread until it stops; renames the thread meanwhile. */
    public void runInCallingThread() {
        if (!callingThread) {
            throw new IllegalStateException("loop " + threadName + " runs on its own thread");
        }
        Thread me = Thread.currentThread();
        String before = me.getName();
        loop.execute(() -> { });
        try {
            Runnable body = handoff.take();
            me.setName(threadName);
            body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } finally {
            me.setName(before);
        }
    }

    /** Makes {@code actor} what {@code Pulsar.getActor()} returns on this loop. */
    public void bind(Actor actor) {
        this.actor = actor;
        if (inLoop()) {
            LoopThreads.bindActor(actor);
        } else {
            loop.execute(() -> LoopThreads.bindActor(actor));
        }
    }

    /** On a shared loop, the co-located actor whose code runs on it right now, or {@code null}. */
    public Actor runningFor() {
        return runningFor;
    }

    /** The thread running the loop, or {@code null} before it starts. */
    public Thread thread() {
        return thread;
    }

    private static Runnable safe(Runnable callback) {
        return () -> {
            try {
                callback.run();
            } catch (Throwable t) {
                log.error("callback failed on loop {}", Thread.currentThread().getName(), t);
            }
        };
    }

    @Override
    public void execute(Runnable command) {
        loop.execute(safe(command));
    }

    /** {@link #execute} on behalf of {@code actor}, a co-located actor of this shared loop (one task, no extra wrapper). */
    public void executeAs(Actor actor, Runnable command) {
        loop.execute(() -> {
            try {
                LoopThreads.runAs(this, actor, command);
            } catch (Throwable t) {
                log.error("callback of actor {} failed on loop {}", actor.aid(), Thread.currentThread().getName(), t);
            }
        });
    }

    @Override
    public Handle callSoon(Runnable callback) {
        return new FutureHandle(loop.schedule(safe(callback), 0, TimeUnit.NANOSECONDS));
    }

    @Override
    public Handle callLater(Duration delay, Runnable callback) {
        return new FutureHandle(loop.schedule(safe(callback), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
    }

    @Override
    public Handle callAt(double when, Runnable callback) {
        long delay = (long) ((when - time()) * 1e9);
        return new FutureHandle(loop.schedule(safe(callback), Math.max(0, delay), TimeUnit.NANOSECONDS));
    }

    @Override
    public Handle callRepeatedly(Duration interval, Runnable callback) {
        long nanos = interval.toNanos();
        if (nanos <= 0) {
            throw new IllegalArgumentException("callRepeatedly interval: " + interval + " must be positive");
        }
        return new FutureHandle(loop.scheduleAtFixedRate(safe(callback), nanos, nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public double time() {
        return (System.nanoTime() - ORIGIN) / 1e9;
    }

    @Override
    public <T> CompletableFuture<T> runInExecutor(Callable<T> work) {
        return runInExecutor(BLOCKING, work);
    }

    @Override
    public <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> work) {
        CompletableFuture<T> result = LoopThreads.newFuture();
        executor.execute(() -> {
            try {
                T value = work.call();
                loop.execute(() -> result.complete(value));
            } catch (Throwable t) {
                loop.execute(() -> result.completeExceptionally(t));
            }
        });
        return result;
    }

    @Override
    public Handle addReader(SelectableChannel channel, Runnable callback) {
        return watches.add(channel, Interest.READ, callback);
    }

    @Override
    public Handle addWriter(SelectableChannel channel, Runnable callback) {
        return watches.add(channel, Interest.WRITE, callback);
    }

    @Override
    public boolean removeReader(SelectableChannel channel) {
        return watches.remove(channel, Interest.READ);
    }

    @Override
    public boolean removeWriter(SelectableChannel channel) {
        return watches.remove(channel, Interest.WRITE);
    }

    /** The server channel class of this loop's transport. */
    public Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client channel class of this loop's transport. */
    public Class<? extends Channel> channelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public CompletableFuture<Channel> createServer(InetSocketAddress address, ServerOptions options,
            ChannelInitializer<Channel> initializer) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(initializer, "initializer");
        return ServerOpener.open(this, address, options, initializer);
    }

    /**
     * Serves {@code listening}, a socket that listens already (a duplicate received from another
     * process, say), as {@link #createServer} serves the ones it binds: each accepted connection is
     * set up by {@code initializer} on this loop, and {@link #stop()} closes them all.
     *
     * @return completes, on this loop, once {@code listening} is registered and accepting
     */
    public CompletableFuture<Channel> serve(ServerChannel listening, ChannelInitializer<Channel> initializer) {
        Objects.requireNonNull(listening, "listening");
        Objects.requireNonNull(initializer, "initializer");
        return ServerOpener.serve(this, listening, initializer);
    }

    @Override
    public CompletableFuture<Channel> createConnection(InetSocketAddress address, ChannelInitializer<Channel> initializer) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(initializer);
        ChannelFuture connect = b.connect(address);
        ownChannels.add(connect.channel());
        return toFuture(connect);
    }

    /** Completes, on the channel's loop, with the channel of {@code cf} once it succeeds. */
    public static CompletableFuture<Channel> toFuture(ChannelFuture cf) {
        CompletableFuture<Channel> f = LoopThreads.newFuture();
        cf.addListener(x -> {
            if (x.isSuccess()) {
                f.complete(cf.channel());
            } else {
                f.completeExceptionally(x.cause());
            }
        });
        return f;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public boolean isRunning() {
        return !group.isShuttingDown() && thread != null;
    }

    @Override
    public CompletableFuture<Void> stop() {
        // Netty 4.2.18 closes the loop's channels only if the shutdown is seen right after an I/O
        // poll; one requested while the loop runs tasks ends it with them open (and ports bound).
        try {
            loop.execute(ownChannels::close);
        } catch (RejectedExecutionException e) {
            // already stopping
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        return terminated;
    }

    /** The servers, their accepted connections and the connections made here: closed by {@link #stop()}. */
    ChannelGroup ownChannels() {
        return ownChannels;
    }

    /** Completes when the loop thread has ended. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public io.netty.channel.EventLoop netty() {
        return loop;
    }

    @Override
    public String toString() {
        return "EventLoop[" + threadName + (epoll ? ", epoll" : ", nio") + "]";
    }

    private record FutureHandle(ScheduledFuture<?> future) implements Handle {
        @Override
        public void cancel() {
            future.cancel(false);
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }
    }
}
