package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** With spare_processes, a spawn takes a warm child JVM and the pool is topped up. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SpareProcessTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension(s -> s.withSpareProcesses(1));

    /**
     * The child JVMs: not the short-lived {@code renice} processes the launcher runs to give a
     * spare its priority back, which were counted as a second child at times.
     */
    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(c -> c.info().command().map(cmd -> !cmd.endsWith("/renice")).orElse(true))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static String describe(Set<Long> pids) {
        return pids.stream().map(pid -> pid + "=" + ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("?"))
                .collect(Collectors.joining("; "));
    }

    /** The spares the arbiter's {@code info} reports warm and at the normal priority. */
    @SuppressWarnings("unchecked")
    private static List<Long> warmSpares() {
        return ((List<Map<String, Object>>) Pulsar.arbiter().info().get("spares")).stream()
                .filter(s -> Boolean.TRUE.equals(s.get("warm")) && Boolean.FALSE.equals(s.get("low_priority")))
                .map(s -> (Long) s.get("pid")).toList();
    }

    /** The niceness of every thread of {@code pid} (field 19 of /proc/PID/task/TID/stat). */
    static List<Integer> niceness(long pid) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    out.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                } catch (IOException e) {
                    // that thread has ended
                }
            }
        }
        return out;
    }

    /** Whether this JVM's children may lower their niceness again (what the launcher checks before nicing spares). */
    static boolean mayRenice() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 23)) != 0;
            }
        }
        return false;
    }

    @Test
    void theReplacementSpare_startsAfterTheSpawn_atALowPriority_andItsActorRunsAtTheNormalOne() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nice")) && Files.isExecutable(Path.of("/usr/bin/renice")) && mayRenice(),
                "nice, renice and CAP_SYS_NICE");
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 1);
        long spare = children().iterator().next();
        // warmed up (as the arbiter's info says), it waits at the normal priority
        await().atMost(Duration.ofSeconds(30)).until(() -> warmSpares().contains(spare));
        await().atMost(Duration.ofSeconds(30)).until(() -> niceness(spare).stream().allMatch(n -> n == 0));
        // when the spawn completes, no replacement has been started yet: it would compete with it
        ActorProxy p = Pulsar.spawn(Spawn.process().name("from-spare")).thenApply(x -> {
            assertThat(children()).as(describe(children())).containsExactly(spare);
            return x;
        }).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(Children.pid(p)).isEqualTo(spare);
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 2);
        long next = children().stream().filter(c -> c != spare).findFirst().orElseThrow();
        // the new spare boots and warms up niced (seen unless it is warm already), then gets the normal priority back
        List<Integer> early = niceness(next);
        assertThat(early).isNotEmpty().allMatch(n -> n == 10 || n == 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> niceness(next).stream().allMatch(n -> n == 0));
        assertThat(niceness(spare)).allMatch(n -> n == 0);
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Children.alive(spare));
    }

    @Test
    void spawn_usesTheWarmSpare_andAnotherSpareTakesItsPlace() {
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 1);
        Set<Long> spare = children();
        ActorProxy p = Pulsar.spawn(Spawn.process().name("from-spare")).orTimeout(30, TimeUnit.SECONDS).join();
        long pid = Children.pid(p);
        assertThat(spare).contains(pid);
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 2);
        assertThat(p.send("echo", "warm").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("warm");
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Children.alive(pid));
    }
}
