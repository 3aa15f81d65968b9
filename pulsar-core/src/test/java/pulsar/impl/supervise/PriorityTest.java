package pulsar.impl.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A process started under {@code nice} gets niceness 0 back from {@link Priority#restore}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PriorityTest {
    @Test
    void restore_givesANicedProcessTheNormalPriorityBack() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Priority.NICE)) && Priority.canRestore(), "nice/renice, and the right to lower a niceness");
        Process p = new ProcessBuilder(Priority.NICE, "-n", "10", "sleep", "30").start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> Priority.niceness(p.pid()) == 10); // nice has exec'd sleep
            Priority.restore(p);
            assertThat(Priority.niceness(p.pid())).isZero();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void niceness_ofThisProcess() throws Exception {
        assertThat(Priority.niceness(ProcessHandle.current().pid())).isBetween(-20, 19);
    }
}
