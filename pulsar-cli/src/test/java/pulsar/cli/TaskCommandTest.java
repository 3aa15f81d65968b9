package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;

/** {@code pulsar run taskqueue} and {@code pulsar task ...} against it, as a user runs them. */
@Timeout(240)
class TaskCommandTest {
    @TempDir
    Path dir;
    private PulsarRun run;

    @BeforeEach
    void localArbiterStopped() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void killLeftovers() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void runTaskqueue_withTasks_submitsChecksAndReportsTheRate_thenExits0() throws Exception {
        run = PulsarRun.start(dir, "taskqueue", "--tasks", "3000", "--workers", "2");
        assertThat(run.process().waitFor(200, TimeUnit.SECONDS)).as("pulsar run taskqueue ended; err: %s", run.err()).isTrue();
        assertThat(run.process().exitValue()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("3000 tasks done in \\d+\\.\\d+ s \\(\\d+ tasks/s\\)");
    }

    @Test
    void taskCommands_againstARunningTaskqueue() throws Exception {
        run = PulsarRun.start(dir, "taskqueue", "--workers", "1", "--concurrency", "thread");
        run.arbiterAddress();

        CliRun add = run.control("task", "submit", "add", "1", "2");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out().strip()).isEqualTo("3");

        CliRun multiply = run.control("task", "submit", "multiply", "2.5", "4");
        assertThat(multiply.out().strip()).isEqualTo("10.0");

        CliRun fail = run.control("task", "submit", "fail", "\"boom\"");
        assertThat(fail.code()).isEqualTo(1);
        assertThat(fail.err()).contains("TASK_ERROR").contains("boom");

        CliRun unknown = run.control("task", "submit", "nosuch");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("UNKNOWN_TASK").contains("nosuch");

        CliRun badArgs = run.control("task", "submit", "add", "\"one\"", "2");
        assertThat(badArgs.code()).isEqualTo(1);
        assertThat(badArgs.err()).contains("BAD_ARGUMENTS");

        // one worker: a long task runs, the next one waits in the queue and can be cancelled
        CliRun busy = run.control("task", "submit", "--no-wait", "sleep", "3000");
        assertThat(busy.code()).as(busy.err()).isZero();
        String busyId = busy.out().strip();
        await().atMost(Duration.ofSeconds(20)).until(() -> run.control("task", "status", busyId).out().contains("running"));
        CliRun queued = run.control("task", "submit", "--no-wait", "sleep", "1");
        String queuedId = queued.out().strip();
        CliRun cancel = run.control("task", "cancel", queuedId);
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("cancelled " + queuedId);
        CliRun cancelRunning = run.control("task", "cancel", busyId);
        assertThat(cancelRunning.code()).isEqualTo(1);

        CliRun status = run.control("task", "status");
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).containsPattern("submitted\\s+7").containsPattern("done\\s+2").containsPattern("cancelled\\s+1");

        CliRun info = run.control("info", "taskqueue");
        assertThat(info.out()).contains("queue_stats").contains("embedded:");

        CliRun dead = run.control("task", "dead");
        assertThat(dead.code()).isZero();
        assertThat(dead.out()).contains("(no dead letters)");

        CliRun noQueue = CliRun.of("task", "status", "--queue", "nosuch://x");
        assertThat(noQueue.code()).isEqualTo(1);
        assertThat(noQueue.err()).contains("nosuch");
    }
}
