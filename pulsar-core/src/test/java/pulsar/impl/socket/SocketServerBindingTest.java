package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pulsar.app.ServerBinding;

/** {@link ServerBinding}: the forms of the {@code bind} setting, and clear errors for the others. */
class SocketServerBindingTest {
    @Test
    void portAlone_meansLoopback() {
        ServerBinding b = ServerBinding.parse(":8060");
        assertThat(b.isUnix()).isFalse();
        assertThat(b.host()).isEqualTo("127.0.0.1").isEqualTo(ServerBinding.DEFAULT_HOST);
        assertThat(b.port()).isEqualTo(8060);
        assertThat(b).hasToString("127.0.0.1:8060").isEqualTo(ServerBinding.tcp("127.0.0.1", 8060));
    }

    @Test
    void hostAndPort_ipv6InBrackets_andUnixPaths_parse() {
        assertThat(ServerBinding.parse("0.0.0.0:80")).hasToString("0.0.0.0:80");
        assertThat(ServerBinding.parse(" localhost:0 ").host()).isEqualTo("localhost");
        ServerBinding v6 = ServerBinding.parse("[::1]:9000");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6).hasToString("[::1]:9000").isEqualTo(ServerBinding.parse(v6.toString()));
        ServerBinding unix = ServerBinding.parse("unix:/tmp/echo.sock");
        assertThat(unix.isUnix()).isTrue();
        assertThat(unix.path()).isEqualTo(Path.of("/tmp/echo.sock"));
        assertThat(unix).hasToString("unix:/tmp/echo.sock").isEqualTo(ServerBinding.unix(Path.of("/tmp/echo.sock")));
        assertThatThrownBy(unix::port).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(v6::path).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void commaList_keepsItsOrder() {
        assertThat(ServerBinding.parseList(":8060, 0.0.0.0:8061,unix:/run/a.sock"))
                .extracting(ServerBinding::toString)
                .containsExactly("127.0.0.1:8060", "0.0.0.0:8061", "unix:/run/a.sock");
    }

    @Test
    void withPort_replacesThePort() {
        assertThat(ServerBinding.parse(":0").withPort(4321)).hasToString("127.0.0.1:4321");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "8060|'8060' is not HOST:PORT",
        "localhost|'localhost' is not HOST:PORT",
        "host:http|'host:http' has no port number",
        ":70000|port 70000 in ':70000' is not in 0..65535",
        ":-1|port -1 in ':-1' is not in 0..65535",
        "::1:80|write an IPv6 host in brackets",
        "unix:|'unix:' needs a path",
        "a b:80|host 'a b' is blank or holds spaces",
    })
    void badAddress_isRefused_namingTheSettingAndTheValue(String text, String message) {
        assertThatThrownBy(() -> ServerBinding.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bind: ")
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\" \"|is empty",
        ":80,,:81|has an empty address",
        ":80,|has an empty address",
        ":80,127.0.0.1:80|names 127.0.0.1:80 twice",
        ":80,x|'x' is not HOST:PORT",
    })
    void badList_isRefused_namingTheValue(String text, String message) {
        assertThatThrownBy(() -> ServerBinding.parseList(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bind: ")
                .hasMessageContaining(message);
    }
}
