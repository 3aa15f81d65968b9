package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;

/** The demo, run in this JVM as {@code ./pulsar demo} runs it, with a secret file of its own. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void noArbiterRunning() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void demo_threadsOnly_talksToEachActorPrintsRedisCliAndStops() throws Exception {
        Path secretFile = dir.resolve("secret");

        CliRun run = CliRun.of("demo", "--threads-only", "--secret-file", secretFile.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("thread-1   PONG", "thread-2   PONG")
                .contains("20 + 22 = 42, computed by thread-1")
                .contains("hello demo, from thread-1", "hello demo, from thread-2")
                .contains("info of thread-1", "info of the arbiter", "actors (")
                .contains("redis-cli -p " + Pulsar.arbiter().address().getPort()
                        + " -a \"$(cat " + secretFile.toAbsolutePath() + ")\" ping")
                .contains("stopped the arbiter and its")
                .doesNotContain("process-1", "FAILED")
                .doesNotContain(Files.readString(secretFile).strip());
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }

    @Test
    @Timeout(120)
    void demo_showsProcessActorsNextToThreadActors() {
        CliRun run = CliRun.of("demo", "--secret-file", dir.resolve("secret").toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("process-1  PONG", "process-2  PONG", "thread-1   PONG")
                .contains("20 + 22 = 42, computed by process-1")
                .contains("hello demo, from process-2")
                .contains("info of process-2", "  process  ")
                .contains("stopped the arbiter and its");
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }
}
