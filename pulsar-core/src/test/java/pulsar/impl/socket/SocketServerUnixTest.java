package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static pulsar.impl.socket.SocketTesting.onFreePort;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.app.ServerBinding;
import pulsar.app.SocketProtocol;

/** {@code unix:PATH} on the epoll transport (skipped without it): beside TCP, stale files, a path in use. */
@Timeout(30)
class SocketServerUnixTest {
    @TempDir
    Path dir;

    private final SocketTesting t = new SocketTesting();

    @BeforeEach
    void epollOnly() {
        assumeThat(Epoll.isAvailable() && !Boolean.getBoolean("pulsar.nio")).as("the epoll transport").isTrue();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void unixSocketBesideTcp_bothEcho_andTheFileGoesWithTheServer() throws Exception {
        Path path = dir.resolve("echo.sock");
        SocketServer server = t.start(onFreePort().withBind("127.0.0.1:0,unix:" + path), SocketProtocol.echo());
        assertThat(server.addresses()).hasSize(2).last().isEqualTo(ServerBinding.unix(path));
        assertThat(unixRoundTrip(path, "over unix")).isEqualTo("over unix");
        assertThat(SocketTesting.roundTrip(t.connect(server), "over tcp")).isEqualTo("over tcp");
        server.stop().join();
        assertThat(path).doesNotExist();
    }

    @Test
    void aStaleSocketFile_isReplaced() throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path)); // the JDK leaves the file behind on close
        }
        assertThat(path).exists();
        SocketServer server = t.start(onFreePort().withBind("unix:" + path), SocketProtocol.echo());
        assertThat(unixRoundTrip(path, "fresh")).isEqualTo("fresh");
        server.stop().join();
    }

    @Test
    void aPathALiveServerHolds_failsNamingIt() {
        Path path = dir.resolve("taken.sock");
        t.start(onFreePort().withBind("unix:" + path), SocketProtocol.echo());
        assertThatThrownBy(() -> t.start(onFreePort().withBind("unix:" + path), SocketProtocol.echo()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot bind unix:" + path + ": a server listens there already");
    }

    @Test
    void aPathThatIsAFile_failsNamingIt() throws IOException {
        Path path = Files.writeString(dir.resolve("file.sock"), "not a socket");
        assertThatThrownBy(() -> t.start(onFreePort().withBind("unix:" + path), SocketProtocol.echo()))
                .cause().isInstanceOf(BindException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(path).hasContent("not a socket");
    }

    private static String unixRoundTrip(Path path, String text) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            c.write(ByteBuffer.wrap(out));
            ByteBuffer in = ByteBuffer.allocate(out.length);
            while (in.hasRemaining() && c.read(in) >= 0) {
                // blocking reads until the echo is back
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
        }
    }
}
