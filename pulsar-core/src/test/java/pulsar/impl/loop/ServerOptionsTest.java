package pulsar.impl.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import pulsar.ServerOptions;

/** {@link ServerOptions} as a value; with real sockets in {@link EventLoopImplTest} (per transport). */
class ServerOptionsTest {
    @Test
    void defaults_areTheDocumentedConstants() {
        ServerOptions d = ServerOptions.defaults();
        assertThat(d.reusePort()).isEqualTo(ServerOptions.DEFAULT_REUSE_PORT).isFalse();
        assertThat(d.backlog()).isEqualTo(ServerOptions.DEFAULT_BACKLOG).isZero();
        assertThat(d).hasToString("ServerOptions[reusePort=false, backlog=system]");
    }

    @Test
    void withX_returnsACopy_andLeavesTheOriginalAlone() {
        ServerOptions d = ServerOptions.defaults();
        ServerOptions shared = d.withReusePort(true).withBacklog(512);
        assertThat(shared.reusePort()).isTrue();
        assertThat(shared.backlog()).isEqualTo(512);
        assertThat(d.reusePort()).isFalse();
        assertThat(d.backlog()).isZero();
        assertThat(shared).isEqualTo(ServerOptions.defaults().withBacklog(512).withReusePort(true))
                .hasSameHashCodeAs(ServerOptions.defaults().withBacklog(512).withReusePort(true))
                .isNotEqualTo(d)
                .hasToString("ServerOptions[reusePort=true, backlog=512]");
        assertThat(shared.withBacklog(0).withReusePort(false)).isEqualTo(d);
    }

    @Test
    void negativeBacklog_isRefused_namingTheFieldAndTheValue() {
        assertThatThrownBy(() -> ServerOptions.defaults().withBacklog(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backlog")
                .hasMessageContaining("-5");
    }
}
