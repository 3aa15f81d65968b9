package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static pulsar.impl.socket.SocketTesting.onFreePort;
import static pulsar.impl.socket.SocketTesting.port;
import static pulsar.impl.socket.SocketTesting.roundTrip;
import static pulsar.impl.socket.SocketTesting.stat;

import io.netty.channel.epoll.Epoll;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.EventLoop;
import pulsar.app.ServerBinding;
import pulsar.app.SocketProtocol;
import pulsar.app.SocketServerConfig;

/** One listening socket bound by a "monitor" loop and served by "worker" loops through duplicates. */
@Timeout(30)
class SharedListenersTest {
    @TempDir
    Path dir;

    private final SocketTesting t = new SocketTesting();
    private SharedListeners shared;

    @BeforeEach
    void epollOnly() {
        assumeThat(Epoll.isAvailable() && !Boolean.getBoolean("pulsar.nio")).as("the epoll transport").isTrue();
    }

    @AfterEach
    void tearDown() {
        if (shared != null) {
            shared.close();
        }
        t.close();
    }

    /** A worker on a loop of its own, serving the shared sockets. */
    private SocketServer worker() {
        String bind = String.join(",", shared.addresses().stream().map(ServerBinding::toString).toList());
        return SocketServer.start(t.loop(), SocketServerConfig.defaults().withBind(bind), SocketProtocol.echo(), shared.path()).join();
    }

    @Test
    void twoWorkersServeOneSocket_aStoppedOneLosesNothing_andThePortIsFreeOnceAllClose() throws Exception {
        EventLoop monitor = t.loop();
        shared = SharedListeners.open(monitor, onFreePort()).join();
        Path socketDir = shared.path().getParent();
        assertThat(Files.getPosixFilePermissions(socketDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        SocketServer first = worker();
        SocketServer second = worker();
        int port = port(first);
        assertThat(port).isEqualTo(shared.addresses().get(0).port()).isEqualTo(port(second));
        for (int i = 0; i < 20; i++) {
            try (Socket s = t.connect(port)) {
                assertThat(roundTrip(s, "n" + i)).isEqualTo("n" + i);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(first, "connections_served") + stat(second, "connections_served") == 20);

        // nobody accepts for a while: connections wait in the one queue, and the next worker serves them
        first.stop().join();
        second.stop().join();
        Socket waiting = t.connect(port);
        waiting.getOutputStream().write("queued".getBytes(StandardCharsets.UTF_8));
        SocketServer third = worker();
        assertThat(SocketTesting.read(waiting, 6)).isEqualTo("queued");
        assertThat(stat(third, "connections_served")).isEqualTo(1);

        // the monitor lets go: the worker's duplicate still serves, and the port is free once it closes
        shared.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(socketDir));
        try (Socket s = t.connect(port)) {
            assertThat(roundTrip(s, "still")).isEqualTo("still");
        }
        third.stop().join();
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    @Test
    void aUnixSocket_isSharedToo_andItsFileGoesWithTheMonitor() throws Exception {
        Path path = dir.resolve("echo.sock");
        shared = SharedListeners.open(t.loop(), onFreePort().withBind("127.0.0.1:0,unix:" + path)).join();
        assertThat(shared.addresses()).hasSize(2).last().isEqualTo(ServerBinding.unix(path));
        SocketServer first = worker();
        SocketServer second = worker();
        assertThat(first.addresses()).isEqualTo(second.addresses()).isEqualTo(shared.addresses());
        for (int i = 0; i < 10; i++) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(path));
                c.write(ByteBuffer.wrap(("u" + i).getBytes(StandardCharsets.UTF_8)));
                ByteBuffer in = ByteBuffer.allocate(2);
                while (in.hasRemaining() && c.read(in) >= 0) {
                    // until the echo is back
                }
                assertThat(new String(in.array(), StandardCharsets.UTF_8)).isEqualTo("u" + i);
            }
        }
        first.stop().join();
        assertThat(path).exists(); // a worker's duplicate does not remove the file
        shared.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(path));
        second.stop().join();
    }

    @Test
    void aPortInUse_failsNamingIt_andLeavesNoDirectoryBehind() throws Exception {
        java.util.Set<Path> before = shareDirs();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String bind = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> SharedListeners.open(t.loop(), onFreePort().withBind(bind)).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(BindException.class).hasMessageStartingWith("cannot bind " + bind + ": ");
        }
        assertThat(shareDirs()).isEqualTo(before);
    }

    private static java.util.Set<Path> shareDirs() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("pulsar-listeners-")).collect(java.util.stream.Collectors.toSet());
        }
    }
}
