package pulsar.impl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.impl.mailbox.Dispatcher;
import pulsar.impl.mailbox.MailboxConfig;

/** A spare's handshake warm-up really connects, authenticates and notifies, and stops when a spec is waiting. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpareWarmUpTest {
    /** A dispatcher of its own: the warm-up points its dispatcher at the stand-in arbiter. */
    private static Dispatcher dispatcher() {
        return new Dispatcher(() -> MailboxConfig.of(Settings.defaults(), "unused"));
    }

    @Test
    void handshake_everyRoundIsAnswered() throws Exception {
        assertThat(SpareWarmUp.handshake(dispatcher(), 24, () -> false)).isEqualTo(24);
    }

    @Test
    void handshake_stopsWhenASpecIsWaiting() throws Exception {
        assertThat(SpareWarmUp.handshake(dispatcher(), 400, () -> true)).isZero();
    }
}
