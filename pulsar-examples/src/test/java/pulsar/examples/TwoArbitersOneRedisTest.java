package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;
import pulsar.queue.Task;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskQueue;
import pulsar.testkit.RedisServerExtension;

/**
 * Two arbiters, each in a JVM of its own (think machines), run the task queue application against
 * one real redis-server: tasks submitted by two clients are consumed by the workers of both, and
 * every result reaches the client that submitted it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoArbitersOneRedisTest {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @TempDir
    Path dir;

    /** {@code whoami(i)}: which JVM ran the task, and its argument back; slow enough to spread. */
    @Task("whoami")
    public static List<Object> whoami(long i) throws InterruptedException {
        Thread.sleep(5);
        return List.of(ProcessHandle.current().pid(), i);
    }

    /** A separate arbiter JVM: the taskqueue application with 2 thread workers on the queue given as argument, until its input closes. */
    public static final class ArbiterMain {
        public static void main(String[] args) throws Exception {
            Pulsar.arbiter().configure(pulsar.Settings.fromEnvironment()); // PULSAR_SECRET_FILE: the test's own
            Pulsar.arbiter().start().get(60, TimeUnit.SECONDS);
            Pulsar.arbiter().add(new TaskQueueExample().setting("queue", args[0]).setting("workers", 2)
                    .setting("concurrency", "thread")).get(60, TimeUnit.SECONDS);
            System.out.println("serving " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() != -1) {
                // until the test closes our input
            }
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
            System.exit(0);
        }
    }

    private Process startArbiter(int n) throws IOException {
        Path secret = dir.resolve("secret-" + n);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ArbiterMain.class.getName(),
                redis.server().url());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out-" + n).toFile())
                .redirectError(dir.resolve("err-" + n).toFile());
        pb.environment().put("PULSAR_SECRET_FILE", secret.toString());
        return pb.start();
    }

    private String out(int n) throws IOException {
        Path p = dir.resolve("out-" + n);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void twoArbitersOnOneRedis_bothConsume_andEachResultReachesItsSubmitter() throws Exception {
        List<Process> arbiters = new ArrayList<>();
        try {
            for (int n = 0; n < 2; n++) {
                arbiters.add(startArbiter(n));
            }
            for (int n = 0; n < 2; n++) {
                int k = n;
                await().atMost(Duration.ofSeconds(90)).until(() -> out(k).contains("serving") || !arbiters.get(k).isAlive());
                assertThat(out(n)).as("arbiter %d: %s", n, Files.readString(dir.resolve("err-" + n))).contains("serving");
            }
            Set<Long> arbiterPids = new HashSet<>();
            arbiters.forEach(p -> arbiterPids.add(p.pid()));

            Map<Long, Integer> ranBy = new HashMap<>();
            try (TaskQueue first = TaskQueue.open(redis.server().url()); TaskQueue second = TaskQueue.open(redis.server().url())) {
                List<TaskFuture> a = new ArrayList<>();
                List<TaskFuture> b = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    a.add(first.submit("whoami", i));
                    b.add(second.submit("whoami", 1000 + i));
                }
                for (int i = 0; i < 300; i++) {
                    for (List<TaskFuture> side : List.of(a, b)) {
                        @SuppressWarnings("unchecked")
                        List<Object> r = (List<Object>) side.get(i).get(60, TimeUnit.SECONDS);
                        assertThat(((Number) r.get(1)).longValue()).isEqualTo(side == a ? i : 1000 + i); // its own task's result
                        ranBy.merge(((Number) r.get(0)).longValue(), 1, Integer::sum);
                    }
                }
            }
            assertThat(ranBy.keySet()).as("JVMs that ran tasks: %s", ranBy).isEqualTo(arbiterPids);
            assertThat(ranBy.values()).allSatisfy(count -> assertThat(count).isGreaterThan(30));
        } finally {
            for (Process p : arbiters) {
                p.getOutputStream().close();
            }
            for (Process p : arbiters) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }
}
