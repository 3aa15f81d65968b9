package pulsar.impl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The crash-loop brake on a fake clock. */
class CrashLoopBrakeTest {
    private long now;
    private final CrashLoopBrake brake = new CrashLoopBrake(() -> now);

    @Test
    void fiveFailuresWithinTheWindow_tripIt() {
        for (int i = 0; i < 4; i++) {
            assertThat(brake.failedStart(5, Duration.ofSeconds(10))).isFalse();
            now += 1_000_000_000L;
        }
        assertThat(brake.failedStart(5, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void spacedFailures_neverTripIt() {
        for (int i = 0; i < 50; i++) {
            assertThat(brake.failedStart(5, Duration.ofSeconds(10))).isFalse();
            now += 3_000_000_000L;
        }
        assertThat(brake.recentFailures()).isLessThanOrEqualTo(4);
    }

    @Test
    void aBurstAfterAQuietSpell_countsOnlyTheBurst() {
        brake.failedStart(3, Duration.ofSeconds(1));
        brake.failedStart(3, Duration.ofSeconds(1));
        now += 5_000_000_000L;
        assertThat(brake.failedStart(3, Duration.ofSeconds(1))).isFalse();
        assertThat(brake.failedStart(3, Duration.ofSeconds(1))).isFalse();
        assertThat(brake.failedStart(3, Duration.ofSeconds(1))).isTrue();
    }
}
