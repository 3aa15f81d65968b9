package pulsar.redis.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskState;
import pulsar.queue.TaskWorker;
import pulsar.queue.Tasks;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;
import pulsar.queue.spi.QueueLimits;
import pulsar.testkit.Ports;
import pulsar.testkit.RedisServerExtension;

/** What is Redis-specific: the URL, an unreachable server, results across clients, bounded keys. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisBackendTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static int n;
    private final List<QueueBackend> opened = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @BeforeAll
    static void registerTasks() {
        Tasks.register("redis.add", (ctx, a) -> ((Number) a.get(0)).longValue() + ((Number) a.get(1)).longValue());
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.interrupt();
            t.join(10_000);
        }
        opened.forEach(QueueBackend::close);
    }

    private String url() {
        return REDIS.server().url() + "?prefix=t" + (++n);
    }

    private QueueBackend open(String url, QueueLimits limits) {
        QueueBackend b = RedisProvider.open(RedisSpec.parse(URI.create(url)), limits, InstantSource.system());
        opened.add(b);
        return b;
    }

    private void worker(String url, String name) {
        worker(url, name, QueueLimits.defaults());
    }

    /** A consumer thread with a backend of its own; its {@code limits} bound what its acknowledgements keep. */
    private void worker(String url, String name, QueueLimits limits) {
        TaskWorker w = TaskWorker.of(open(url, limits), name).withBatch(50);
        Thread t = new Thread(() -> w.run(running::get), name);
        t.setDaemon(true);
        t.start();
        workers.add(t);
    }

    @Test
    void redisUrl_opensTheRedisBackend_throughTheServiceLoader() {
        try (TaskQueue q = TaskQueue.open(REDIS.server().url())) {
            assertThat(q.backend()).isInstanceOf(RedisBackend.class);
            assertThat(((RedisBackend) q.backend()).prefix()).isEqualTo(RedisSpec.DEFAULT_PREFIX);
        }
    }

    @Test
    void sharedHandles_useOneClient_untilTheLastOneCloses() throws Exception {
        String url = url();
        java.util.Set<String> before = clientNames();
        QueueBackend first = QueueBackends.shared(url);
        java.util.Set<String> fresh = new java.util.HashSet<>(clientNames());
        fresh.removeAll(before);
        assertThat(fresh).as("the first handle's client, named in CLIENT LIST").hasSize(1);
        String name = fresh.iterator().next();
        QueueBackend second = QueueBackends.shared(url);
        java.util.Set<String> now = new java.util.HashSet<>(clientNames());
        now.removeAll(before);
        assertThat(now).as("a second handle on the same URL opens no client").containsExactly(name);

        first.close();
        assertThat(first.stats()).as("a closed handle").failsWithin(Duration.ofSeconds(5));
        worker(url, "w1");
        assertThat(TaskQueue.of(second).submit("redis.add", 1, 2).get(20, TimeUnit.SECONDS))
                .as("the other handle still works").isEqualTo(3L);
        assertThat(clientNames()).contains(name);
        second.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !clientNames().contains(name));
    }

    /** The names of the Pulsar clients connected to the server. */
    private static java.util.Set<String> clientNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String line : REDIS.server().command("CLIENT", "LIST").split("\n")) {
            for (String field : line.split(" ")) {
                if (field.startsWith("name=pulsar-")) {
                    names.add(field.substring(5));
                }
            }
        }
        return names;
    }

    @Test
    void unreachableRedis_atOpen_failsWithOneLineNamingTheUrl() {
        int port = Ports.free();
        long start = System.nanoTime();
        TaskException e = catchThrowableOfType(TaskException.class, () -> QueueBackends.open("redis://127.0.0.1:" + port + "/3"));
        assertThat(e.failure()).isEqualTo(TaskFailure.BACKEND);
        assertThat(e.getMessage()).contains("redis://127.0.0.1:" + port + "/3").doesNotContain("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void badUrls_failWithWhatIsWrong() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> QueueBackends.open("redis://127.0.0.1:1/x")))
                .hasMessageContaining("database 'x'");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> QueueBackends.open("redis://127.0.0.1:1/0?pool=3")))
                .hasMessageContaining("unknown parameter 'pool'");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> QueueBackends.open("redis:///0")))
                .hasMessageContaining("no host");
        RedisSpec spec = RedisSpec.parse(URI.create("redis://:s3cret@127.0.0.1:7000/2?prefix=jobs"));
        assertThat(spec.password()).isEqualTo("s3cret");
        assertThat(spec.database()).isEqualTo(2);
        assertThat(spec.prefix()).isEqualTo("jobs");
        assertThat(spec.display()).doesNotContain("s3cret");
    }

    @Test
    void resultOfAnotherClientsTask_reachesAWaitingCaller_andTheSubmitter() throws Exception {
        String url = url();
        TaskQueue submitter = TaskQueue.of(open(url, QueueLimits.defaults()));
        TaskQueue other = TaskQueue.of(open(url, QueueLimits.defaults()));
        TaskFuture f = submitter.submit("redis.add", 20, 22);
        await().atMost(Duration.ofSeconds(10)).until(() -> other.status(f.id()).get() != null);
        var theirs = other.result(f.id());
        assertThat(theirs).isNotDone();
        worker(url, "w1");
        assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(theirs.get(20, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(other.status(f.id()).get().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void twoSubmitters_twoConsumers_eachResultReachesItsSubmitter() throws Exception {
        String url = url();
        TaskQueue a = TaskQueue.of(open(url, QueueLimits.defaults()));
        TaskQueue b = TaskQueue.of(open(url, QueueLimits.defaults()));
        worker(url, "w1");
        worker(url, "w2");
        List<TaskFuture> fa = new ArrayList<>();
        List<TaskFuture> fb = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            fa.add(a.submit("redis.add", i, 1));
            fb.add(b.submit("redis.add", i, 2));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(fa.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 1L);
            assertThat(fb.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i + 2L);
        }
        assertThat(a.stats().get().done()).isEqualTo(2000);
    }

    @Test
    void finishedTasks_areForgottenPastMaxResults_andNoKeyGrows() throws Exception {
        String url = url();
        String prefix = RedisSpec.parse(URI.create(url)).prefix();
        QueueLimits limits = QueueLimits.defaults().withMaxResults(100);
        TaskQueue q = TaskQueue.of(open(url, limits));
        worker(url, "w1", limits);
        List<TaskFuture> fs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            fs.add(q.submit("redis.add", i, 0));
        }
        for (TaskFuture f : fs) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(Long.parseLong(REDIS.server().command("HLEN", prefix + ":t"))).isLessThanOrEqualTo(100);
        assertThat(Long.parseLong(REDIS.server().command("LLEN", prefix + ":fin"))).isLessThanOrEqualTo(100);
        assertThat(Long.parseLong(REDIS.server().command("XLEN", prefix + ":s:default:0"))).isZero();
        assertThat(REDIS.server().command("KEYS", prefix + ":r:*")).as("reply lists are emptied (and so deleted)").isEmpty();
        assertThat(q.status(fs.get(0).id()).get()).as("the oldest outcome is forgotten").isNull();
        assertThat(q.status(fs.get(499).id()).get().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void anIdQueuedAlready_isRefused_fromAnyClient() throws Exception {
        String url = url();
        QueueBackend a = open(url, QueueLimits.defaults());
        QueueBackend b = open(url, QueueLimits.defaults());
        pulsar.queue.spi.TaskMessage m = new pulsar.queue.spi.TaskMessage("order-42", "redis.add", "[1,2]",
                pulsar.queue.TaskOptions.defaults(), System.currentTimeMillis());
        assertThat(a.enqueue(m).get(10, TimeUnit.SECONDS)).isEqualTo("order-42");
        var again = b.enqueue(m);
        TaskException e = catchThrowableOfType(java.util.concurrent.ExecutionException.class, () -> again.get(10, TimeUnit.SECONDS))
                .getCause() instanceof TaskException t ? t : null;
        assertThat(e).isNotNull();
        assertThat(e.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(e.getMessage()).contains("order-42").contains("already queued");
        assertThat(a.stats().get().submitted()).isEqualTo(1);
    }

    @Test
    void aMalformedRecordOrStrayEntry_doesNotStopTheConsumer() throws Exception {
        String url = url();
        String prefix = RedisSpec.parse(URI.create(url)).prefix();
        TaskQueue q = TaskQueue.of(open(url, QueueLimits.defaults()));
        worker(url, "w1");
        assertThat(q.submit("redis.add", 1, 1).get(20, TimeUnit.SECONDS)).isEqualTo(2L);
        // another program writes a stray entry into the stream: no task id, not JSON
        REDIS.server().command("XADD", prefix + ":s:default:0", "*", "m", "{not json");
        assertThat(q.submit("redis.add", 2, 2).get(20, TimeUnit.SECONDS)).isEqualTo(4L);
    }
}
