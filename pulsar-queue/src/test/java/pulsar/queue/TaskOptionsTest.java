package pulsar.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskOptionsTest {
    @Test
    void badValues_failAtOnce_namingTheOption() {
        assertThatThrownBy(() -> TaskOptions.defaults().withPriority(10)).hasMessageContaining("priority").hasMessageContaining("10");
        assertThatThrownBy(() -> TaskOptions.defaults().withMaxDeliveries(0)).hasMessageContaining("max_deliveries");
        assertThatThrownBy(() -> TaskOptions.defaults().withQueue("")).hasMessageContaining("queue");
        assertThatThrownBy(() -> TaskOptions.defaults().withTimeout(Duration.ZERO)).hasMessageContaining("timeout_ms");
        assertThatThrownBy(() -> TaskOptions.defaults().withBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)))
                .hasMessageContaining("backoff_factor");
    }

    @Test
    void backoff_growsByItsFactor_upToItsMaximum() {
        TaskOptions o = TaskOptions.defaults().withBackoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(500));
        assertThat(o.backoffMillis(1)).isEqualTo(100);
        assertThat(o.backoffMillis(2)).isEqualTo(200);
        assertThat(o.backoffMillis(3)).isEqualTo(400);
        assertThat(o.backoffMillis(4)).isEqualTo(500);
        assertThat(o.backoffMillis(100)).isEqualTo(500);
    }
}
