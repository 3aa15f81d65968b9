package pulsar.redis.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskQueue;
import pulsar.testkit.RedisServerExtension;

/**
 * Several machines on one Redis: worker JVMs of their own ({@link RedisWorkerMain}, each with its
 * own connections) consume from one real {@code redis-server}; this JVM's clients submit. Every
 * child is killed by its PID after each test, even on failure.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisTwoJvmsTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static int n;
    private final List<Process> children = new ArrayList<>();
    private final List<TaskQueue> clients = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException {
        clients.forEach(TaskQueue::close);
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
            assertThat(p.isAlive()).as("worker JVM %d stopped", p.pid()).isFalse();
        }
    }

    private String url() {
        return REDIS.server().url() + "?prefix=jvms" + (++n);
    }

    private Process worker(String url, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xshare:auto",
                RedisWorkerMain.class.getName(), url, name).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    // skip
                }
                return line;
            } catch (IOException e) {
                return null;
            }
        });
        assertThat(ready.orTimeout(60, TimeUnit.SECONDS).join()).as("worker %s started", name).isEqualTo("READY");
        return p;
    }

    private TaskQueue client(String url) {
        TaskQueue q = TaskQueue.open(url);
        clients.add(q);
        return q;
    }

    @Test
    void twoWorkerJvms_shareTheWork_andEachResultReachesItsSubmitter() throws Exception {
        String url = url();
        Process w1 = worker(url, "jvm-1");
        Process w2 = worker(url, "jvm-2");
        TaskQueue a = client(url);
        TaskQueue b = client(url);
        List<TaskFuture> fa = new ArrayList<>();
        List<TaskFuture> fb = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fa.add(a.submit("redis.where", i, 1));
            fb.add(b.submit("redis.where", 10_000 + i, 1));
        }
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            List<?> ra = (List<?>) fa.get(i).get(60, TimeUnit.SECONDS);
            List<?> rb = (List<?>) fb.get(i).get(60, TimeUnit.SECONDS);
            assertThat(ra.get(1)).isEqualTo(2L * i);
            assertThat(rb.get(1)).isEqualTo(2L * (10_000 + i));
            pids.add((Long) ra.get(0));
            pids.add((Long) rb.get(0));
        }
        assertThat(pids).as("both worker JVMs ran tasks").containsExactlyInAnyOrder(w1.pid(), w2.pid());
    }

    @Test
    void killMinus9OfAWorkerJvm_midRun_everyTaskStillCompletes() throws Exception {
        String url = url();
        Process doomed = worker(url, "jvm-doomed");
        Process survivor = worker(url, "jvm-survivor");
        TaskQueue q = client(url);
        TaskOptions shortLease = TaskOptions.defaults().withTimeout(Duration.ofSeconds(2));
        int count = 3000;
        List<TaskFuture> fs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fs.add(q.submit(shortLease, "redis.where", i, 1));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> fs.stream().filter(CompletableFuture::isDone).count() >= 200);
        doomed.destroyForcibly(); // SIGKILL: its leased tasks are delivered again when their leases end
        assertThat(doomed.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Set<Long> pids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            List<?> r = (List<?>) fs.get(i).get(90, TimeUnit.SECONDS);
            assertThat(r.get(1)).isEqualTo(2L * i);
            pids.add((Long) r.get(0));
        }
        assertThat(pids).contains(survivor.pid());
        assertThat(q.stats().get().done()).isEqualTo(count);
    }
}
