package pulsar.impl.loop;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.EventLoop;
import pulsar.ServerOptions;

/**
 * The whole {@link EventLoopImpl} on the default transport (epoll on Linux; addReader/addWriter on
 * the loop's epoll set when this JVM has {@value Descriptors#OPENS_FLAG}, else relayed). Subclasses
 * run the same tests on NIO ({@link EventLoopImplNioTest}), with the relay watcher of
 * addReader/addWriter ({@link EventLoopImplRelayTest}) and on a loop made by
 * {@link EventLoop#create()} ({@link EventLoopStandaloneTest}).
 */
class EventLoopImplTest {
    /** How long to watch that something does not happen (no more callbacks). */
    static final Duration QUIET = Duration.ofMillis(300);

    protected EventLoopImpl loop;
    private final List<Closeable> toClose = Collections.synchronizedList(new ArrayList<>());

    protected EventLoopImpl newLoop(String name) {
        return EventLoopImpl.onNewThread(name);
    }

    protected EventLoopImpl newCallingThreadLoop(String name) {
        return EventLoopImpl.forCallingThread(name);
    }

    /** How channels given to addReader/addWriter should be watched on {@link #loop}. */
    protected WatchBackend expectedBackend() {
        if (!loop.usesEpoll()) {
            return WatchBackend.NIO_SELECTOR;
        }
        return Descriptors.accessible() ? WatchBackend.EPOLL_FD : WatchBackend.RELAY;
    }

    @BeforeEach
    void startLoop() {
        loop = newLoop("test-loop");
        await().atMost(Duration.ofSeconds(5)).until(loop::isRunning);
    }

    @AfterEach
    void stopLoop() throws Exception {
        try {
            if (loop != null) {
                loop.stop().get(10, TimeUnit.SECONDS);
            }
        } finally {
            for (Closeable c : toClose) {
                c.close();
            }
        }
    }

    private <T extends Closeable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        closing(p.source());
        closing(p.sink());
        return p;
    }

    private static void write(java.nio.channels.WritableByteChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** A reader reading at most {@code chunk} bytes per call into {@code out}, counting calls. */
    private Runnable reader(ReadableByteChannel ch, StringBuffer out, AtomicInteger calls, int chunk,
            AtomicBoolean offLoop) {
        return () -> {
            calls.incrementAndGet();
            if (!loop.inLoop()) {
                offLoop.set(true);
            }
            ByteBuffer b = ByteBuffer.allocate(chunk);
            try {
                int n = ch.read(b);
                if (n > 0) {
                    out.append(new String(b.array(), 0, n, US_ASCII));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    // ---------------------------------------------------------------- callbacks and timers

    @Test
    @Timeout(30)
    void transportIsTheExpectedOne() throws Exception {
        boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("pulsar.nio");
        assertThat(EventLoopImpl.epoll()).isEqualTo(epoll);
        EventLoopImpl nio = EventLoopImpl.onNewThread("nio-loop", true);
        try {
            assertThat(nio.usesEpoll()).isFalse();
        } finally {
            nio.stop().get(10, TimeUnit.SECONDS);
        }
        if (getClass() == EventLoopImplTest.class) {
            assertThat(loop.usesEpoll()).isEqualTo(epoll);
        }
        assertThat(loop.serverChannelType())
                .isEqualTo(loop.usesEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        assertThat(loop.toString()).contains(loop.usesEpoll() ? "epoll" : "nio");
    }

    @Test
    @Timeout(30)
    void callSoonRunsInFifoOrderOnTheLoopThread() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean offLoop = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            loop.callSoon(() -> {
                if (!loop.inLoop() || !loop.thread().getName().equals(Thread.currentThread().getName())) {
                    offLoop.set(true);
                }
                order.add(n);
            });
        }
        loop.callSoon(() -> done.complete(null));
        done.get(5, TimeUnit.SECONDS);
        assertThat(order).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(order.get(i)).isEqualTo(i);
        }
        assertThat(offLoop).isFalse();
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    @Timeout(30)
    void callSoonFromTheLoopRunsAfterQueuedCallbacks() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.callSoon(() -> {
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> {
                    order.add("c");
                    done.complete(null);
                });
            });
            loop.callSoon(() -> order.add("b"));
        });
        done.get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("a", "b", "c");
    }

    @Test
    @Timeout(30)
    void callLaterFiresAfterAtLeastTheDelay() throws Exception {
        CompletableFuture<Long> ranAt = new CompletableFuture<>();
        long start = System.nanoTime();
        EventLoop.Handle h = loop.callLater(Duration.ofMillis(100), () -> ranAt.complete(System.nanoTime()));
        long elapsed = ranAt.get(5, TimeUnit.SECONDS) - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(h.isCancelled()).isFalse();
        h.cancel(); // no-op once run
    }

    @Test
    @Timeout(30)
    void callLaterOrdersByDelay() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        // all three from one loop task, so that a test thread descheduled between two calls
        // (a busy 2-core machine) cannot shift one deadline past another
        loop.execute(() -> {
            loop.callLater(Duration.ofMillis(240), () -> {
                order.add(3);
                done.complete(null);
            });
            loop.callLater(Duration.ofMillis(120), () -> order.add(2));
            loop.callLater(Duration.ZERO, () -> order.add(1));
        });
        done.get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    @Timeout(30)
    void callAtFiresWhenTimeIsReached() throws Exception {
        double when = loop.time() + 0.05;
        CompletableFuture<Double> ranAt = new CompletableFuture<>();
        loop.callAt(when, () -> ranAt.complete(loop.time()));
        // the delay is truncated to whole nanoseconds: allow that much
        assertThat(ranAt.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(when - 1e-9);
    }

    @Test
    @Timeout(30)
    void callAtInThePastRunsSoon() throws Exception {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        loop.callAt(loop.time() - 10, () -> ran.complete(loop.inLoop()));
        assertThat(ran.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(30)
    void callRepeatedlyFiresSeveralTimesAndStopsAfterCancel() {
        AtomicInteger count = new AtomicInteger();
        AtomicReference<EventLoop.Handle> handle = new AtomicReference<>();
        CompletableFuture<Void> registered = new CompletableFuture<>();
        // cancel from the loop itself, so no run can be under way when it takes effect
        loop.callSoon(() -> {
            handle.set(loop.callRepeatedly(Duration.ofMillis(10), () -> {
                if (count.incrementAndGet() == 5) {
                    handle.get().cancel();
                }
            }));
            registered.complete(null);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> count.get() >= 5);
        assertThat(registered).isCompleted();
        assertThat(handle.get().isCancelled()).isTrue();
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> count.get() == 5);
    }

    @Test
    @Timeout(30)
    void callRepeatedlyCancelledFromAnotherThreadStops() {
        AtomicInteger count = new AtomicInteger();
        EventLoop.Handle h = loop.callRepeatedly(Duration.ofMillis(5), count::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> count.get() >= 3);
        h.cancel();
        assertThat(h.isCancelled()).isTrue();
        int[] last = {count.get()};
        // at most one run may have been under way while cancelling
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> {
            int now = count.get();
            boolean stable = now <= last[0] + 1;
            return stable;
        });
        int settled = count.get();
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> count.get() == settled);
    }

    @Test
    @Timeout(30)
    void callRepeatedlyRejectsNonPositiveInterval() {
        assertThatThrownBy(() -> loop.callRepeatedly(Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(30)
    void cancelledCallLaterNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        EventLoop.Handle h = loop.callLater(Duration.ofMillis(50), () -> ran.set(true));
        h.cancel();
        assertThat(h.isCancelled()).isTrue();
        CompletableFuture<Void> later = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(200), () -> later.complete(null));
        later.get(5, TimeUnit.SECONDS); // scheduled after the cancelled one's time
        assertThat(ran).isFalse();
    }

    @Test
    @Timeout(30)
    void throwingCallbackDoesNotKillTheLoop() throws Exception {
        CompletableFuture<Boolean> next = new CompletableFuture<>();
        loop.callSoon(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        loop.execute(() -> {
            throw new IllegalStateException("boom again (expected by the test)");
        });
        loop.callSoon(() -> next.complete(loop.inLoop()));
        assertThat(next.get(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> timer = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(10), () -> {
            throw new IllegalStateException("timer boom (expected by the test)");
        });
        loop.callLater(Duration.ofMillis(30), () -> timer.complete(null));
        timer.get(5, TimeUnit.SECONDS);
        assertThat(loop.isRunning()).isTrue();
    }

    @Test
    @Timeout(30)
    void timeIsMonotonic() throws Exception {
        double prev = loop.time();
        for (int i = 0; i < 10_000; i++) {
            double t = loop.time();
            assertThat(t).isGreaterThanOrEqualTo(prev);
            prev = t;
        }
        double before = loop.time();
        CompletableFuture<Double> onLoop = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(20), () -> onLoop.complete(loop.time()));
        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(before + 0.02 - 1e-9);
        assertThat(loop.time()).isGreaterThanOrEqualTo(onLoop.get());
    }

    @Test
    @Timeout(30)
    void runInExecutorRunsOffLoopAndCompletesOnTheLoop() throws Exception {
        CompletableFuture<String> observed = new CompletableFuture<>();
        loop.callSoon(() -> {
            // registered on the loop before the work can complete, so the callback runs where it completes
            loop.runInExecutor(() -> {
                assertThat(loop.inLoop()).isFalse();
                return Thread.currentThread().isVirtual() ? "virtual" : "platform";
            }).whenComplete((v, e) -> observed.complete(
                    v + "/" + e + "/" + loop.inLoop() + "/" + Thread.currentThread().getName()));
        });
        assertThat(observed.get(5, TimeUnit.SECONDS)).isEqualTo("virtual/null/true/" + loop.thread().getName());
    }

    @Test
    @Timeout(30)
    void runInExecutorFailureCompletesExceptionallyOnTheLoop() throws Exception {
        CompletableFuture<String> observed = new CompletableFuture<>();
        loop.callSoon(() -> loop.runInExecutor(() -> {
            throw new java.io.IOException("disk on fire (expected by the test)");
        }).whenComplete((v, e) -> observed.complete(e.getClass().getSimpleName() + "/" + loop.inLoop())));
        assertThat(observed.get(5, TimeUnit.SECONDS)).isEqualTo("IOException/true");
    }

    @Test
    @Timeout(30)
    void runInExecutorWithGivenExecutor() throws Exception {
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "given-executor"));
        try {
            CompletableFuture<String> f = loop.runInExecutor(ex, () -> Thread.currentThread().getName());
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("given-executor");
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void blockingOnAGuardedFutureFromTheLoopFailsAtOnce() throws Exception {
        CompletableFuture<List<String>> messages = new CompletableFuture<>();
        loop.callSoon(() -> {
            List<String> out = new ArrayList<>();
            CompletableFuture<String> f = LoopThreads.newFuture();
            try {
                f.join();
                out.add("join returned");
            } catch (IllegalStateException e) {
                out.add(e.getMessage());
            }
            try {
                f.get();
                out.add("get returned");
            } catch (IllegalStateException e) {
                out.add(e.getMessage());
            } catch (Exception e) {
                out.add("get threw " + e);
            }
            try {
                f.get(1, TimeUnit.MINUTES);
                out.add("timed get returned");
            } catch (IllegalStateException e) {
                out.add(e.getMessage());
            } catch (Exception e) {
                out.add("timed get threw " + e);
            }
            try {
                f.thenApply(String::length).join(); // derived futures are guarded too
                out.add("derived join returned");
            } catch (IllegalStateException e) {
                out.add(e.getMessage());
            }
            CompletableFuture<String> done = LoopThreads.newFuture();
            done.complete("ready");
            out.add(done.join()); // a completed future does not block: allowed
            messages.complete(out);
        });
        List<String> out = messages.get(5, TimeUnit.SECONDS);
        assertThat(out).hasSize(5);
        for (String m : out.subList(0, 4)) {
            assertThat(m).contains("event loop").contains(loop.thread().getName());
        }
        assertThat(out.get(4)).isEqualTo("ready");
    }

    @Test
    @Timeout(30)
    void blockingOnAGuardedFutureOffTheLoopWorks() throws Exception {
        CompletableFuture<String> f = LoopThreads.newFuture();
        loop.callLater(Duration.ofMillis(20), () -> f.complete("done"));
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        CompletableFuture<String> g = LoopThreads.newFuture();
        loop.callLater(Duration.ofMillis(20), () -> g.complete("joined"));
        assertThat(g.join()).isEqualTo("joined");
    }

    @Test
    @Timeout(30)
    void isRunningIsFalseAfterStop() throws Exception {
        assertThat(loop.isRunning()).isTrue();
        assertThat(loop.thread()).isNotNull();
        Thread t = loop.thread();
        loop.stop().get(10, TimeUnit.SECONDS);
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.terminated()).isDone();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    @Timeout(30)
    void createServerAndConnectionEchoBytes() throws Exception {
        AtomicBoolean offLoop = new AtomicBoolean();
        ChannelInitializer<Channel> echo = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (!loop.inLoop()) {
                            offLoop.set(true);
                        }
                        ctx.writeAndFlush(msg);
                    }
                });
            }
        };
        Channel server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), echo).get(5, TimeUnit.SECONDS);
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        assertThat(port).isPositive();
        assertThat(server).isInstanceOf(loop.serverChannelType());
        StringBuffer got = new StringBuffer();
        Channel client = loop.createConnection(new InetSocketAddress("127.0.0.1", port), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (!loop.inLoop()) {
                            offLoop.set(true);
                        }
                        ByteBuf b = (ByteBuf) msg;
                        got.append(b.toString(US_ASCII));
                        b.release();
                    }
                });
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(client).isInstanceOf(loop.channelType());
        assertThat(client.eventLoop()).isSameAs(loop.netty());
        try {
            client.writeAndFlush(Unpooled.copiedBuffer("hello ", US_ASCII));
            client.writeAndFlush(Unpooled.copiedBuffer("pulsar", US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("hello pulsar"));
            assertThat(offLoop).isFalse();
        } finally {
            client.close().await(5, TimeUnit.SECONDS);
            server.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void stopClosesItsServersAndConnectionsAtOnce() throws Exception {
        ChannelInitializer<Channel> nothing = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
            }
        };
        Channel server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), nothing).get(5, TimeUnit.SECONDS);
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        Channel client = loop.createConnection(bound, nothing).get(5, TimeUnit.SECONDS);
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        SocketChannel foreign = closing(SocketChannel.open(bound)); // accepted on the loop: served there
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.ownChannels().size() == 4);
        loop.ownChannels().stream().filter(c -> c != server && c != client).findFirst().ifPresent(accepted::complete);
        loop.stop().get(10, TimeUnit.SECONDS); // while the loop is still busy with the accepts
        assertThat(server.isOpen()).isFalse();
        assertThat(client.isOpen()).isFalse();
        assertThat(accepted.get(5, TimeUnit.SECONDS).isOpen()).isFalse();
        assertThat(foreign.read(ByteBuffer.allocate(1))).isEqualTo(-1); // the served side closed it
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(bound); // the port is free again
        }
    }

    // ---------------------------------------------------------------- server options

    /** A server initializer counting the connections it accepts. */
    private static ChannelInitializer<Channel> counting(AtomicInteger accepted) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                accepted.incrementAndGet();
            }
        };
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    @Timeout(30)
    void reusePort_serversOnTwoLoopsShareAPort_andBothAccept() throws Exception {
        EventLoopImpl second = newLoop("second-loop");
        try {
            ServerOptions shared = ServerOptions.defaults().withReusePort(true);
            AtomicInteger firstAccepted = new AtomicInteger();
            AtomicInteger secondAccepted = new AtomicInteger();
            Channel first = loop.createServer(new InetSocketAddress("127.0.0.1", 0), shared, counting(firstAccepted))
                    .get(5, TimeUnit.SECONDS);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port(first));
            Channel other = second.createServer(address, shared, counting(secondAccepted)).get(5, TimeUnit.SECONDS);
            assertThat(port(other)).isEqualTo(address.getPort());
            assertThat(other.eventLoop()).isSameAs(second.netty());
            // the kernel spreads connections by their address hash: 64 leave both idle with odds of 2^-63
            int clients = 64;
            for (int i = 0; i < clients; i++) {
                closing(SocketChannel.open(address));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> firstAccepted.get() + secondAccepted.get() == clients);
            assertThat(firstAccepted.get()).isPositive();
            assertThat(secondAccepted.get()).isPositive();
        } finally {
            second.stop().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void withoutReusePort_aSecondServerOnThePortFails_withAClearError() throws Exception {
        Channel first = loop.createServer(new InetSocketAddress("127.0.0.1", 0), counting(new AtomicInteger()))
                .get(5, TimeUnit.SECONDS);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port(first));
        CompletableFuture<Channel> second = loop.createServer(address, ServerOptions.defaults(), counting(new AtomicInteger()));
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(java.net.BindException.class)
                .hasMessageContaining(address.toString())
                .hasMessageContaining("ServerOptions.withReusePort(true)");
        // sharing needs the option on both sides: the first one did not set it
        CompletableFuture<Channel> third = loop.createServer(address, ServerOptions.defaults().withReusePort(true),
                counting(new AtomicInteger()));
        assertThatThrownBy(() -> third.get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(java.net.BindException.class)
                .hasMessageContaining("every server sharing a port must set it");
        assertThat(first.isActive()).isTrue();
    }

    @Test
    @Timeout(30)
    void backlog_limitsConnectionsWaitingToBeAccepted() throws Exception {
        int clients = 8;
        // backlog 1: Linux queues backlog + 1 established connections, then drops SYNs
        assertThat(establishedWhileNotAccepting(ServerOptions.defaults().withBacklog(1), clients)).isBetween(1, 2);
        assertThat(establishedWhileNotAccepting(ServerOptions.defaults(), clients)).isEqualTo(clients);
    }

    /** Opens a server that does not accept, connects {@code clients} times; how many connect within a while. */
    private int establishedWhileNotAccepting(ServerOptions options, int clients) throws Exception {
        Channel server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), options, counting(new AtomicInteger()))
                .get(5, TimeUnit.SECONDS);
        try {
            loop.netty().submit(() -> server.config().setAutoRead(false)).get(5, TimeUnit.SECONDS);
            List<SocketChannel> pending = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                SocketChannel c = closing(SocketChannel.open());
                c.configureBlocking(false);
                c.connect(server.localAddress());
                pending.add(c);
            }
            AtomicInteger established = new AtomicInteger();
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
                for (SocketChannel c : pending) {
                    if (c.isConnectionPending() && c.finishConnect()) {
                        established.incrementAndGet();
                    }
                }
                return established.get() > 0;
            });
            return established.get();
        } finally {
            server.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void createConnectionToAClosedPortFails() throws Exception {
        int port;
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        }
        CompletableFuture<Channel> f = loop.createConnection(new InetSocketAddress("127.0.0.1", port),
                new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                });
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
    }

    @Test
    @Timeout(30)
    void runInCallingThreadRunsCallbacksOnThatThreadUntilStop() throws Exception {
        EventLoopImpl l = newCallingThreadLoop("calling-loop");
        try {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            AtomicReference<String> nameDuring = new AtomicReference<>();
            AtomicReference<Thread> timerOn = new AtomicReference<>();
            l.callSoon(() -> {
                ranOn.set(Thread.currentThread());
                nameDuring.set(Thread.currentThread().getName());
            });
            l.callLater(Duration.ofMillis(20), () -> timerOn.set(Thread.currentThread()));
            Thread caller = new Thread(l::runInCallingThread, "caller");
            caller.setDaemon(true);
            caller.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.get() != null && timerOn.get() != null);
            assertThat(ranOn.get()).isSameAs(caller);
            assertThat(timerOn.get()).isSameAs(caller);
            assertThat(nameDuring.get()).isEqualTo("calling-loop");
            assertThat(l.thread()).isSameAs(caller);
            assertThat(l.isRunning()).isTrue();
            assertThat(l.inLoop()).isFalse();
            assertThat(caller.isAlive()).isTrue();

            l.stop().get(10, TimeUnit.SECONDS);
            caller.join(5000);
            assertThat(caller.isAlive()).isFalse();
            assertThat(caller.getName()).isEqualTo("caller"); // name restored
            assertThat(l.isRunning()).isFalse();
        } finally {
            l.stop();
        }
    }

    @Test
    @Timeout(30)
    void runInCallingThreadRefusedOnAnOwnThreadLoop() {
        assertThatThrownBy(loop::runInCallingThread).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- addReader / addWriter

    @Test
    @Timeout(30)
    void pipeReaderRunsOnTheLoopAndReads() throws Exception {
        Pipe p = pipe();
        StringBuffer got = new StringBuffer();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean offLoop = new AtomicBoolean();
        EventLoop.Handle h = loop.addReader(p.source(), reader(p.source(), got, calls, 1024, offLoop));
        assertThat(p.source().isBlocking()).isFalse();
        assertThat(loop.channelWatches().backendOf(p.source())).isEqualTo(expectedBackend());
        assertThat(h.isCancelled()).isFalse();

        write(p.sink(), "hello");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("hello"));
        write(p.sink(), " again");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("hello again"));
        assertThat(offLoop).isFalse();
        assertThat(calls.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Timeout(30)
    void readerIsLevelTriggered() throws Exception {
        Pipe p = pipe();
        StringBuffer got = new StringBuffer();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean offLoop = new AtomicBoolean();
        loop.addReader(p.source(), reader(p.source(), got, calls, 1, offLoop)); // one byte per call
        write(p.sink(), "abcdefgh");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("abcdefgh"));
        assertThat(calls.get()).isGreaterThanOrEqualTo(8);
        assertThat(offLoop).isFalse();
    }

    @Test
    @Timeout(30)
    void removeReaderStopsCallbacks() throws Exception {
        Pipe p = pipe();
        StringBuffer got = new StringBuffer();
        AtomicInteger calls = new AtomicInteger();
        EventLoop.Handle h = loop.addReader(p.source(), reader(p.source(), got, calls, 1024, new AtomicBoolean()));
        write(p.sink(), "one");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("one"));

        assertThat(loop.removeReader(p.source())).isTrue();
        assertThat(h.isCancelled()).isTrue();
        assertThat(loop.removeReader(p.source())).isFalse();
        assertThat(loop.removeWriter(p.source())).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.channelWatches().watchedChannels() == 0);
        int before = calls.get();
        write(p.sink(), "two");
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> calls.get() == before);
        assertThat(got.toString()).isEqualTo("one");
        // the bytes are still there for whoever reads next
        ByteBuffer b = ByteBuffer.allocate(16);
        assertThat(p.source().read(b)).isEqualTo(3);

        // and it can be watched again
        loop.addReader(p.source(), reader(p.source(), got, calls, 1024, new AtomicBoolean()));
        write(p.sink(), "three");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("onethree"));
    }

    @Test
    @Timeout(30)
    void handleCancelRemovesTheReader() throws Exception {
        Pipe p = pipe();
        AtomicInteger calls = new AtomicInteger();
        EventLoop.Handle h = loop.addReader(p.source(), calls::incrementAndGet);
        h.cancel();
        assertThat(h.isCancelled()).isTrue();
        h.cancel(); // no-op
        assertThat(loop.removeReader(p.source())).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.channelWatches().watchedChannels() == 0);
        write(p.sink(), "x");
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> calls.get() == 0);
    }

    @Test
    @Timeout(30)
    void addingAgainReplacesTheCallback() throws Exception {
        Pipe p = pipe();
        AtomicInteger first = new AtomicInteger();
        StringBuffer got = new StringBuffer();
        AtomicInteger second = new AtomicInteger();
        EventLoop.Handle h1 = loop.addReader(p.source(), first::incrementAndGet);
        EventLoop.Handle h2 = loop.addReader(p.source(), reader(p.source(), got, second, 1024, new AtomicBoolean()));
        assertThat(h1.isCancelled()).isTrue();
        assertThat(h2.isCancelled()).isFalse();
        h1.cancel(); // cancelling the replaced handle does not remove the new one
        assertThat(h2.isCancelled()).isFalse();
        write(p.sink(), "data");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("data"));
        assertThat(first.get()).isZero();
        assertThat(loop.channelWatches().watchedChannels()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void throwingReaderIsLoggedAndStaysRegistered() throws Exception {
        Pipe p = pipe();
        StringBuffer got = new StringBuffer();
        AtomicInteger calls = new AtomicInteger();
        Runnable read = reader(p.source(), got, calls, 1, new AtomicBoolean());
        EventLoop.Handle h = loop.addReader(p.source(), () -> {
            read.run();
            throw new IllegalStateException("reader boom (expected by the test)");
        });
        write(p.sink(), "xyz");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("xyz"));
        assertThat(h.isCancelled()).isFalse();
        CompletableFuture<Boolean> alive = new CompletableFuture<>();
        loop.callSoon(() -> alive.complete(true));
        assertThat(alive.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(30)
    void writerOnThePipeSinkFires() throws Exception {
        Pipe p = pipe();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean offLoop = new AtomicBoolean();
        CompletableFuture<Void> wrote = new CompletableFuture<>();
        AtomicReference<WatchBackend> backend = new AtomicReference<>();
        EventLoop.Handle h = loop.addWriter(p.sink(), () -> {
            if (calls.incrementAndGet() == 1) {
                backend.set(loop.channelWatches().backendOf(p.sink()));
            }
            if (!loop.inLoop()) {
                offLoop.set(true);
            }
            try {
                write(p.sink(), "w");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (calls.get() == 3) {
                loop.removeWriter(p.sink()); // writable all the time: stop after three
                wrote.complete(null);
            }
        });
        wrote.get(5, TimeUnit.SECONDS);
        assertThat(backend.get()).isEqualTo(expectedBackend());
        assertThat(h.isCancelled()).isTrue();
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> calls.get() == 3);
        ByteBuffer b = ByteBuffer.allocate(16);
        p.source().configureBlocking(false);
        assertThat(p.source().read(b)).isEqualTo(3);
        assertThat(loop.channelWatches().watchedChannels()).isZero();
        assertThat(offLoop).isFalse();
    }

    @Test
    @Timeout(30)
    void readerAndWriterOnOneSocketChannel() throws Exception {
        ServerSocketChannel server = closing(ServerSocketChannel.open());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = closing(SocketChannel.open(server.getLocalAddress()));
        SocketChannel served = closing(server.accept());

        // the served side echoes in upper case: reader and writer on the same channel
        StringBuffer pending = new StringBuffer();
        AtomicBoolean offLoop = new AtomicBoolean();
        AtomicReference<EventLoop.Handle> writer = new AtomicReference<>();
        Runnable write = () -> {
            if (!loop.inLoop()) {
                offLoop.set(true);
            }
            try {
                ByteBuffer out = ByteBuffer.wrap(pending.toString().toUpperCase().getBytes(US_ASCII));
                int n = served.write(out);
                pending.delete(0, n);
                if (pending.isEmpty()) {
                    loop.removeWriter(served);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        loop.addReader(served, () -> {
            if (!loop.inLoop()) {
                offLoop.set(true);
            }
            ByteBuffer in = ByteBuffer.allocate(64);
            try {
                int n = served.read(in);
                if (n < 0) {
                    loop.removeReader(served);
                    served.close();
                    return;
                }
                pending.append(new String(in.array(), 0, n, US_ASCII));
                writer.set(loop.addWriter(served, write));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(loop.channelWatches().backendOf(served)).isEqualTo(expectedBackend());

        StringBuffer got = new StringBuffer();
        loop.addReader(client, reader(client, got, new AtomicInteger(), 64, offLoop));
        write(client, "ping");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("PING"));
        write(client, "pong");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("PINGPONG"));
        assertThat(writer.get().isCancelled()).isTrue(); // removed once everything was written
        assertThat(offLoop).isFalse();

        // the client closes: the served reader sees EOF, removes itself and closes
        assertThat(loop.removeReader(client)).isTrue();
        client.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !served.isOpen() && loop.channelWatches().watchedChannels() == 0);
    }

    @Test
    @Timeout(30)
    void readerOnAServerSocketChannelAccepts() throws Exception {
        ServerSocketChannel server = closing(ServerSocketChannel.open());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        loop.addReader(server, () -> {
            try {
                SocketChannel c = server.accept();
                if (c != null) {
                    closing(c);
                    accepted.complete(c);
                    loop.removeReader(server);
                }
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        SocketChannel client = closing(SocketChannel.open(server.getLocalAddress()));
        assertThat(accepted.get(5, TimeUnit.SECONDS).getRemoteAddress()).isEqualTo(client.getLocalAddress());
    }

    @Test
    @Timeout(30)
    void writerWaitsForANonBlockingConnect() throws Exception {
        ServerSocketChannel server = closing(ServerSocketChannel.open());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel client = closing(SocketChannel.open());
        client.configureBlocking(false);
        client.connect(server.getLocalAddress());
        CompletableFuture<Boolean> connected = new CompletableFuture<>();
        loop.addWriter(client, () -> {
            try {
                if (client.finishConnect()) {
                    loop.removeWriter(client);
                    connected.complete(loop.inLoop());
                }
            } catch (IOException e) {
                connected.completeExceptionally(e);
            }
        });
        assertThat(connected.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    @Timeout(30)
    void readerSeesTheHangUpOfThePeer() throws Exception {
        Pipe p = pipe();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> eof = new CompletableFuture<>();
        loop.addReader(p.source(), () -> {
            calls.incrementAndGet();
            try {
                int n = p.source().read(ByteBuffer.allocate(16));
                if (n < 0) {
                    loop.removeReader(p.source());
                    eof.complete(n);
                }
            } catch (IOException e) {
                eof.completeExceptionally(e);
            }
        });
        p.sink().close();
        assertThat(eof.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        int after = calls.get();
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> calls.get() == after);
        assertThat(loop.channelWatches().watchedChannels()).isZero();
    }

    @Test
    @Timeout(30)
    void channelClosedByItsCallbackIsDeregisteredAtOnce() throws Exception {
        Pipe p = pipe();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Integer> sizeAfter = new CompletableFuture<>();
        EventLoop.Handle h = loop.addReader(p.source(), () -> {
            calls.incrementAndGet();
            try {
                p.source().close(); // without removeReader first
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loop.callSoon(() -> sizeAfter.complete(loop.channelWatches().watchedChannels()));
        });
        write(p.sink(), "bye");
        assertThat(sizeAfter.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(h.isCancelled()).isTrue();
        assertThat(loop.removeReader(p.source())).isFalse();
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> calls.get() == 1);
    }

    @Test
    @Timeout(30)
    void channelClosedElsewhereIsDeregisteredWithoutSpinning() throws Exception {
        Pipe p = pipe();
        AtomicInteger calls = new AtomicInteger();
        EventLoop.Handle reader = loop.addReader(p.source(), calls::incrementAndGet);
        p.source().close(); // from another thread, without removeReader: found by the sweep
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.channelWatches().watchedChannels() == 0 && reader.isCancelled());
        assertThat(calls.get()).isZero();

        // the read end is gone: the sink reports an error, its writer closes it
        AtomicInteger writes = new AtomicInteger();
        EventLoop.Handle writer = loop.addWriter(p.sink(), () -> {
            writes.incrementAndGet();
            try {
                p.sink().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.channelWatches().watchedChannels() == 0 && writer.isCancelled());
        await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> writes.get() == 1 && calls.get() == 0);
        // and the loop still works
        CompletableFuture<Boolean> alive = new CompletableFuture<>();
        loop.callSoon(() -> alive.complete(true));
        assertThat(alive.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(30)
    void addReaderOnTheLoopThreadRegistersAtOnce() throws Exception {
        Pipe p = pipe();
        StringBuffer got = new StringBuffer();
        CompletableFuture<WatchBackend> backend = new CompletableFuture<>();
        loop.callSoon(() -> {
            loop.addReader(p.source(), reader(p.source(), got, new AtomicInteger(), 64, new AtomicBoolean()));
            backend.complete(loop.channelWatches().backendOf(p.source()));
        });
        assertThat(backend.get(5, TimeUnit.SECONDS)).isEqualTo(expectedBackend());
        write(p.sink(), "from the loop");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.toString().equals("from the loop"));
    }

    @Test
    @Timeout(30)
    void manyChannelsAtOnce() throws Exception {
        int n = 50;
        List<Pipe> pipes = new ArrayList<>();
        StringBuffer[] got = new StringBuffer[n];
        for (int i = 0; i < n; i++) {
            Pipe p = pipe();
            pipes.add(p);
            got[i] = new StringBuffer();
            loop.addReader(p.source(), reader(p.source(), got[i], new AtomicInteger(), 3, new AtomicBoolean()));
        }
        for (int i = 0; i < n; i++) {
            write(pipes.get(i).sink(), "pipe-" + i);
        }
        for (int i = 0; i < n; i++) {
            int k = i;
            await().atMost(Duration.ofSeconds(5)).until(() -> got[k].toString().equals("pipe-" + k));
        }
        for (int i = 0; i < n; i += 2) {
            assertThat(loop.removeReader(pipes.get(i).source())).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.channelWatches().watchedChannels() == n / 2);
    }

    @Test
    @Timeout(30)
    void stopDeregistersButDoesNotCloseChannels() throws Exception {
        Pipe p = pipe();
        EventLoop.Handle r = loop.addReader(p.source(), () -> { });
        EventLoop.Handle w = loop.addWriter(p.sink(), () -> { });
        loop.stop().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> loop.channelWatches().watchedChannels() == 0 && r.isCancelled() && w.isCancelled());
        assertThat(p.source().isOpen()).isTrue();
        assertThat(p.sink().isOpen()).isTrue();
        assertThat(loop.removeReader(p.source())).isFalse();
        assertThatThrownBy(() -> loop.addReader(p.source(), () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
        // the descriptors still work
        write(p.sink(), "ok");
        ByteBuffer b = ByteBuffer.allocate(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            p.source().read(b);
            return b.position() == 2;
        });
    }

    @Test
    @Timeout(30)
    void unsupportedDirectionIsRefused() throws Exception {
        Pipe p = pipe();
        assertThatThrownBy(() -> loop.addReader(p.sink(), () -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> loop.addWriter(p.source(), () -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThat(loop.channelWatches().watchedChannels()).isZero();
    }

    @Test
    @Timeout(30)
    void closedChannelIsRefused() throws Exception {
        Pipe p = pipe();
        p.source().close();
        assertThatThrownBy(() -> loop.addReader(p.source(), () -> { })).isInstanceOf(UncheckedIOException.class);
        assertThat(loop.channelWatches().watchedChannels()).isZero();
    }
}
