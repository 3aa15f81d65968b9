package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static pulsar.impl.socket.SocketTesting.closedByServer;
import static pulsar.impl.socket.SocketTesting.onFreePort;
import static pulsar.impl.socket.SocketTesting.port;
import static pulsar.impl.socket.SocketTesting.read;
import static pulsar.impl.socket.SocketTesting.roundTrip;
import static pulsar.impl.socket.SocketTesting.stat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.app.SocketConnection;
import pulsar.app.SocketProtocol;

/** The socket server on real sockets of 127.0.0.1: echo, stats, keep_alive, max_connections, graceful stop, bind errors. */
@Timeout(30)
class SocketServerTest {
    private final SocketTesting t = new SocketTesting();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void echo_writesBackEveryByte() throws IOException {
        SocketServer server = t.start(onFreePort(), SocketProtocol.echo());
        assertThat(server.addresses()).singleElement().satisfies(b -> {
            assertThat(b.host()).isEqualTo("127.0.0.1");
            assertThat(b.port()).isPositive();
        });
        Socket s = t.connect(server);
        assertThat(roundTrip(s, "hello")).isEqualTo("hello");
        String big = "x".repeat(256 * 1024);
        assertThat(roundTrip(s, big)).isEqualTo(big);
    }

    @Test
    void info_countsConnectionsBytesAndRequests() throws IOException {
        SocketServer server = t.start(onFreePort(), SocketProtocol.echo());
        Socket a = t.connect(server);
        Socket b = t.connect(server);
        assertThat(roundTrip(a, "12345")).isEqualTo("12345");
        assertThat(roundTrip(b, "678")).isEqualTo("678");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(stat(server, "bytes_read")).isEqualTo(8);
            assertThat(stat(server, "bytes_written")).isEqualTo(8);
        });
        assertThat(stat(server, "connections_open")).isEqualTo(2);
        assertThat(stat(server, "connections_served")).isEqualTo(2);
        assertThat(stat(server, "connections_rejected")).isZero();
        assertThat(stat(server, "requests")).isBetween(2L, 8L); // one per chunk read
        assertThat(server.info()).containsEntry("address", java.util.List.of("127.0.0.1:" + port(server)))
                .containsEntry("tls", false).containsEntry("stopping", false);
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "connections_open") == 1);
        assertThat(stat(server, "connections_served")).isEqualTo(2);
    }

    @Test
    void aProtocolThatCountsRequests_isCountedItsWay() throws IOException {
        SocketServer server = t.start(onFreePort(), new LineCounter());
        Socket s = t.connect(server);
        s.getOutputStream().write("one\ntwo\nthree\n".getBytes());
        assertThat(read(s, 3)).isEqualTo("ok\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "requests") == 3);
    }

    @Test
    void keepAlive_closesASilentConnection_andNotAnActiveOne() throws IOException {
        // keep_alive well above a loaded machine's scheduling hiccups (a 2-core CI shares its cores)
        SocketServer server = t.start(onFreePort().withKeepAlive(Duration.ofMillis(1000)), SocketProtocol.echo());
        Socket silent = t.connect(server);
        Socket active = t.connect(server);
        assertThat(roundTrip(silent, "a")).isEqualTo("a");
        // the active one talks every 100 ms for 2.5 s, two and a half times the keep_alive
        await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(8))
                .until(() -> roundTrip(active, "ping").equals("ping"));
        assertThat(closedByServer(silent, Duration.ofSeconds(3))).isTrue();
        assertThat(roundTrip(active, "still here")).isEqualTo("still here");
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "connections_open") == 1);
    }

    @Test
    void maxConnections_closesTheExtraConnectionAtOnce_whileTheOthersWork() throws IOException {
        SocketServer server = t.start(onFreePort().withMaxConnections(2), SocketProtocol.echo());
        Socket a = t.connect(server);
        Socket b = t.connect(server);
        assertThat(roundTrip(a, "a")).isEqualTo("a");
        assertThat(roundTrip(b, "b")).isEqualTo("b");
        Socket extra = t.connect(server);
        assertThat(closedByServer(extra, Duration.ofSeconds(5))).isTrue();
        assertThat(roundTrip(a, "a2")).isEqualTo("a2");
        assertThat(roundTrip(b, "b2")).isEqualTo("b2");
        assertThat(stat(server, "connections_rejected")).isEqualTo(1);
        assertThat(stat(server, "connections_served")).isEqualTo(2);
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "connections_open") == 1);
        assertThat(roundTrip(t.connect(server), "c")).isEqualTo("c");
    }

    @Test
    void gracefulStop_letsTheExchangeInFlightFinish_closesIdleConnections_andRefusesNewOnes() throws Exception {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        SocketServer server = t.start(onFreePort(), new HeldEcho(answer));
        int port = port(server);
        Socket busy = t.connect(port);
        Socket idle = t.connect(port);
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "connections_open") == 2);
        busy.getOutputStream().write("in flight".getBytes());
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "bytes_read") == 9);

        CompletableFuture<Void> stopped = server.stop();
        assertThat(server.isStopping()).isTrue();
        assertThat(closedByServer(idle, Duration.ofSeconds(5))).as("an idle connection closes at once").isTrue();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> t.connect(port)).isInstanceOf(ConnectException.class));
        assertThat(stopped).as("the exchange in flight is not over yet").isNotDone();
        answer.complete(null);
        assertThat(read(busy, 9)).isEqualTo("in flight");
        assertThat(closedByServer(busy, Duration.ofSeconds(5))).as("closed once answered").isTrue();
        stopped.get(5, TimeUnit.SECONDS);
        assertThat(stat(server, "connections_open")).isZero();
        assertThat(server.stop()).as("stopping again").succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void gracefulStop_saysGoodbyeWithFin_andALateRequestIsDroppedWithoutAReset() throws Exception {
        SocketServer server = t.start(onFreePort(), SocketProtocol.echo());
        Socket s = t.connect(server);
        assertThat(roundTrip(s, "before")).isEqualTo("before");
        CompletableFuture<Void> stopped = server.stop();
        s.setSoTimeout(5000);
        assertThat(s.getInputStream().read()).as("the server's FIN: end of stream").isEqualTo(-1);
        // a client that sent one more request before it saw the goodbye: a plain close would
        // answer it with RST (and could destroy replies still unread); a lingering close drops it
        // (after a FIN, Linux reports that RST to the next write, as EPIPE: "Broken pipe")
        s.getOutputStream().write("late".getBytes());
        s.getOutputStream().flush();
        await().pollInterval(Duration.ofMillis(20)).during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> s.getOutputStream().write('.'));
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        s.close(); // the client's FIN ends the linger at once
        stopped.get(Connection.LINGER_MS / 2, TimeUnit.MILLISECONDS);
        assertThat(stat(server, "connections_open")).isZero();
    }

    @Test
    void gracefulStop_closesWhatIsStillBusy_afterTheGracefulTimeout() throws Exception {
        SocketServer server = t.start(onFreePort().withGracefulTimeout(Duration.ofMillis(400)), new Sink());
        Socket s = t.connect(server);
        s.getOutputStream().write("never answered".getBytes());
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(server, "bytes_read") == 14);
        long start = System.nanoTime();
        server.stop().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
        assertThat(closedByServer(s, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void joiningTheStopOnTheLoopThread_failsFast_insteadOfDeadlocking() {
        pulsar.EventLoop loop = t.loop();
        SocketServer server = SocketServer.start(loop, onFreePort(), SocketProtocol.echo()).join();
        CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
        loop.callSoon(() -> {
            try {
                server.stop().join();
                onLoop.complete(null);
            } catch (Throwable e) {
                onLoop.complete(e);
            }
        });
        assertThat(onLoop).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(IllegalStateException.class);
        assertThat(server.stop()).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aPortTakenWithoutReusePort_failsWithOneLineNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> t.start(onFreePort().withBind("127.0.0.1:0,:" + port), SocketProtocol.echo()))
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot bind 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("SO_REUSEPORT")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void badTlsFiles_failTheStart_namingTheSettings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path junk = java.nio.file.Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> t.start(onFreePort().withTls(junk, junk), SocketProtocol.echo()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cert_file/key_file: cannot load")
                .hasMessageContaining(junk.toString());
    }

    /** Answers {@code ok\n} to the first of its lines and counts every line as a request. */
    private static final class LineCounter implements SocketProtocol {
        @Override
        public void initConnection(SocketConnection connection) {
            connection.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                boolean answered;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf in = (ByteBuf) msg;
                    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
                        if (in.getByte(i) == '\n') {
                            connection.countRequest();
                        }
                    }
                    in.release();
                    if (!answered) {
                        answered = true;
                        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("ok\n".getBytes()));
                    }
                }
            });
        }

        @Override
        public boolean countsRequests() {
            return true;
        }
    }

    /** Echoes each read once {@code answer} completes: an exchange in flight until the test says. */
    private record HeldEcho(CompletableFuture<Void> answer) implements SocketProtocol {
        @Override
        public void initConnection(SocketConnection connection) {
            connection.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    answer.whenComplete((v, e) -> ctx.executor().execute(() -> ctx.writeAndFlush(msg)));
                }
            });
        }
    }

    /** Reads and never answers. */
    private static final class Sink implements SocketProtocol {
        @Override
        public void initConnection(SocketConnection connection) {
            connection.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
        }
    }
}
