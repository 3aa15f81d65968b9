package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No orphans: kill -9 a real arbiter JVM and every child exits by itself within 3 seconds. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OrphanTest {
    @Test
    void killingTheArbiterWithSigkill_leavesNoChildBehind() throws Exception {
        Path dir = Files.createTempDirectory("pulsar-orphan-");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ArbiterMain.class.getName(), dir.resolve("secret").toString());
        Process arbiter = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Long> children = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(arbiter.getInputStream()));
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                if (line.startsWith("CHILD ")) {
                    children.add(Long.parseLong(line.substring(6).trim()));
                }
            }
            assertThat(children).hasSize(2);
            assertThat(children).allMatch(Children::alive);
            Thread.ofVirtual().start(() -> { // keep draining so the arbiter never blocks on a full pipe
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // gone
                }
            });
            Children.signal("KILL", arbiter.pid());
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> children.stream().noneMatch(Children::alive));
            System.out.println("children gone " + (System.nanoTime() - killed) / 1_000_000 + " ms after kill -9");
        } finally {
            arbiter.destroyForcibly();
            children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
