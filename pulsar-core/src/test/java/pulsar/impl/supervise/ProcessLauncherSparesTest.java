package pulsar.impl.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.impl.mailbox.Dispatcher;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.runtime.ChildMain;

/** The spares a {@link ProcessLauncher} keeps, as its {@code spares()} reports them, and how long they stay niced. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessLauncherSparesTest {
    private static ProcessLauncher launcher() {
        return new ProcessLauncher(new Dispatcher(() -> MailboxConfig.of(Settings.defaults(), "unused")), ChildMain.class.getName());
    }

    @Test
    void aSpare_isReported_thenWarm() {
        ProcessLauncher l = launcher();
        try {
            assertThat(l.spares()).isEmpty();
            l.prepare(Settings.defaults().withSpareProcesses(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> l.spares().size() == 1);
            long pid = (Long) l.spares().get(0).get("pid");
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid()));
            assertThat(l.spares().get(0)).containsEntry("jvm_options", Settings.defaults().jvmOptions());
            await().atMost(Duration.ofSeconds(40)).until(() -> Boolean.TRUE.equals(l.spares().get(0).get("warm")));
            assertThat(l.spares().get(0)).containsEntry("low_priority", false);
        } finally {
            l.close().orTimeout(20, TimeUnit.SECONDS).join();
        }
        assertThat(l.spares()).isEmpty();
    }

    /**
     * Niced until warm at most for the launcher's deadline: under a load that keeps every core busy a
     * niced JVM barely runs, and would still be cold when a spawn takes it.
     */
    @Test
    void aSpare_getsTheNormalPriorityBack_afterTheDeadline_evenBeforeItIsWarm() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Priority.NICE)) && Priority.canRestore() && ProcessLauncher.SPARE_NICENESS > 0,
                "nice/renice, and the right to lower a niceness");
        ProcessLauncher l = launcher();
        l.lowPriorityMs = 0;
        try {
            l.prepare(Settings.defaults().withSpareProcesses(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> l.spares().size() == 1);
            long pid = (Long) l.spares().get(0).get("pid");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> Priority.niceness(pid) == 0 || Boolean.TRUE.equals(l.spares().get(0).get("warm")));
            List<Map<String, Object>> now = l.spares();
            // a spare warms up for most of a second at least: with a deadline of 0 it is back at 0 long before
            assertThat(now.get(0)).as("the spare as the priority came back").containsEntry("warm", false).containsEntry("low_priority", false);
        } finally {
            l.close().orTimeout(20, TimeUnit.SECONDS).join();
        }
    }
}
