package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import pulsar.Settings;

/** The mailbox settings reach the mailbox, and bad values fail at once naming the setting. */
class MailboxConfigTest {
    @Test
    void defaults_reachTheConfig() {
        MailboxConfig c = MailboxConfig.of(Settings.defaults(), "s");
        assertThat(c.limits().maxMessageLength()).isEqualTo(Settings.DEFAULT_MAX_MESSAGE_LENGTH).isEqualTo(16 << 20);
        assertThat(c.codec().maxLength()).isEqualTo(Settings.DEFAULT_MAX_MESSAGE_LENGTH);
        assertThat(c.limits().maxBulkLength()).isEqualTo(Settings.DEFAULT_MAX_BULK_LENGTH);
        assertThat(c.maxUnauthenticatedLength()).isEqualTo(4096);
        assertThat(c.authTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxConnections()).isEqualTo(1024);
    }

    @Test
    void changedSettings_reachTheConfig_andABulkNeverExceedsTheMessageLimit() {
        Settings s = Settings.defaults().withMaxMessageLength(1 << 20).withMaxUnauthenticatedLength(512)
                .withAuthTimeout(Duration.ofMillis(300)).withMailboxMaxConnections(7);
        MailboxConfig c = MailboxConfig.of(s, "s");
        assertThat(c.limits().maxMessageLength()).isEqualTo(1 << 20);
        assertThat(c.limits().maxBulkLength()).isEqualTo(1 << 20);
        assertThat(c.codec().maxLength()).isEqualTo(1 << 20);
        assertThat(c.maxUnauthenticatedLength()).isEqualTo(512);
        assertThat(c.authTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.maxConnections()).isEqualTo(7);
        assertThat(s.toMap()).containsEntry("max_message_length", (long) (1 << 20))
                .containsEntry("max_unauthenticated_length", 512L).containsEntry("auth_timeout", 0.3)
                .containsEntry("mailbox_max_connections", 7L);
        assertThat(Settings.names()).containsAll(s.toMap().keySet()).hasSameSizeAs(s.toMap().keySet());
    }

    @Test
    void badValues_failNamingTheSetting() {
        assertThatThrownBy(() -> Settings.defaults().withMaxMessageLength(10)).hasMessageContaining("max_message_length");
        assertThatThrownBy(() -> Settings.defaults().withMaxUnauthenticatedLength(100)).hasMessageContaining("max_unauthenticated_length");
        assertThatThrownBy(() -> Settings.defaults().withAuthTimeout(Duration.ZERO)).hasMessageContaining("auth_timeout");
        assertThatThrownBy(() -> Settings.defaults().withMailboxMaxConnections(0)).hasMessageContaining("mailbox_max_connections");
    }
}
