package pulsar.queue.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Backends by URL: the built-in schemes, and a clear error for the others. */
class QueueBackendsTest {
    @Test
    void embedded_isTheSharedLocalQueue_outsideActors() {
        assertThat(QueueBackends.open("embedded:")).isSameAs(QueueBackends.local());
        assertThat(QueueBackends.open("embedded")).isSameAs(QueueBackends.local());
        assertThat(QueueBackends.open(null)).isSameAs(QueueBackends.local());
        assertThat(QueueBackends.open("EMBEDDED:")).isSameAs(QueueBackends.local());
    }

    @Test
    void arbiter_isAMailboxClient() {
        try (QueueBackend b = QueueBackends.open("arbiter:")) {
            assertThat(b.getClass().getSimpleName()).isEqualTo("MailboxBackend");
        }
        try (QueueBackend b = QueueBackends.open("arbiter://127.0.0.1:7001")) {
            assertThat(b.getClass().getSimpleName()).isEqualTo("MailboxBackend");
        }
    }

    @Test
    void unknownScheme_namesTheModuleThatServesIt() {
        assertThatThrownBy(() -> QueueBackends.open("redis://127.0.0.1:6379/0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'redis'").hasMessageContaining("pulsar-redis");
        assertThatThrownBy(() -> QueueBackends.open("::")).isInstanceOf(IllegalArgumentException.class);
    }
}
