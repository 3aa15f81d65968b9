package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import pulsar.app.ServerBinding;
import pulsar.app.SocketServerConfig;

/** {@link SocketServerConfig} as a value: the documented defaults, copies, and checks naming the setting. */
class SocketServerConfigTest {
    @Test
    void defaults_areTheDocumentedConstants() {
        SocketServerConfig d = SocketServerConfig.defaults();
        assertThat(d.bind()).containsExactly(ServerBinding.parse(SocketServerConfig.DEFAULT_BIND));
        assertThat(d.bind().get(0)).hasToString("127.0.0.1:8060");
        assertThat(d.backlog()).isEqualTo(SocketServerConfig.DEFAULT_BACKLOG);
        assertThat(d.keepAlive()).isEqualTo(SocketServerConfig.DEFAULT_KEEP_ALIVE);
        assertThat(d.maxConnections()).isEqualTo(SocketServerConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(d.gracefulTimeout()).isEqualTo(SocketServerConfig.DEFAULT_GRACEFUL_TIMEOUT);
        assertThat(d.tls()).isFalse();
        assertThat(d.certFile()).isEmpty();
        assertThat(d.keyFile()).isEmpty();
    }

    @Test
    void withX_returnsACopy(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        SocketServerConfig d = SocketServerConfig.defaults();
        SocketServerConfig c = d.withBind(":1,:2").withBacklog(0).withKeepAlive(Duration.ZERO).withMaxConnections(0)
                .withGracefulTimeout(Duration.ofSeconds(1)).withTls(cert, key);
        assertThat(c.bind()).extracting(ServerBinding::toString).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        assertThat(c.backlog()).isZero();
        assertThat(c.keepAlive()).isZero();
        assertThat(c.maxConnections()).isZero();
        assertThat(c.gracefulTimeout()).hasSeconds(1);
        assertThat(c.tls()).isTrue();
        assertThat(c.certFile()).contains(cert);
        assertThat(c.keyFile()).contains(key);
        assertThat(c.withoutTls().tls()).isFalse();
        assertThat(d).isEqualTo(SocketServerConfig.defaults()).isNotEqualTo(c);
        assertThat(c).isEqualTo(d.withBind(":1,:2").withBacklog(0).withKeepAlive(Duration.ZERO).withMaxConnections(0)
                .withGracefulTimeout(Duration.ofSeconds(1)).withTls(cert, key)).hasSameHashCodeAs(c);
        assertThat(c.toString()).contains("keep_alive=PT0S", "max_connections=0", "cert_file=" + cert);
    }

    @Test
    void badValues_areRefusedAtOnce_namingTheSettingAndTheValue(@TempDir Path dir) {
        SocketServerConfig d = SocketServerConfig.defaults();
        refused(() -> d.withBind("nope"), "bind: 'nope'");
        refused(() -> d.withBind(List.of()), "bind: []");
        refused(() -> d.withBacklog(-1), "backlog: -1");
        refused(() -> d.withKeepAlive(Duration.ofSeconds(-2)), "keep_alive: PT-2S");
        refused(() -> d.withMaxConnections(-3), "max_connections: -3");
        refused(() -> d.withGracefulTimeout(Duration.ofMillis(-1)), "graceful_timeout: PT-0.001S");
        Path missing = dir.resolve("missing.pem");
        refused(() -> d.withTls(missing, missing), "cert_file: " + missing);
        refused(() -> d.withTls(dir, dir), "cert_file: " + dir);
    }

    private static void refused(Executable call, String message) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
