package pulsar.bench;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import pulsar.queue.Task;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskWorker;
import pulsar.queue.Tasks;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;
import pulsar.queue.spi.QueueLimits;

/**
 * Benchmark 11 (queue-embedded): the embedded task queue's raw throughput in one JVM (issue 9's goal: at least
 * 100,000 tasks/s with 2 thread workers). Tiny tasks ({@code add(x, y)}): the main thread submits
 * {@code BENCH_TASKS} tasks at once through {@link TaskQueue}, two {@link TaskWorker} threads fetch,
 * run and acknowledge them, and the time runs until every result has reached its future
 * (submit → fetch → ack → result, JSON both ways). Reference in the same run: the JDK's own
 * two-thread pool, {@code CompletableFuture.supplyAsync(add, pool)} for each task (no queue
 * semantics: no lease, no JSON, no acknowledgement), to show what the queue costs.
 *
 * <p>Then, for information, the same with two process workers (child JVMs) that reach the
 * arbiter's embedded queue through its mailbox ({@code task_fetch} in batches, {@code task_ack}
 * per task), {@code BENCH_PROCESS_TASKS} tasks (default 20,000) submitted in the arbiter's JVM.
 */
public final class QueueEmbeddedBench {
    private QueueEmbeddedBench() {
    }

    /** The benchmark's task. */
    @Task("bench.add")
    public static long add(long x, long y) {
        return x + y;
    }

    public static void main(String[] args) throws Exception {
        int tasks = Bench.intSetting("tasks", 200_000);
        int rounds = Bench.intSetting("rounds", 3);
        int workers = Bench.intSetting("queue_workers", 2);
        int batch = Bench.intSetting("queue_batch", TaskWorker.DEFAULT_BATCH);
        Bench.machine();
        Tasks.register(QueueEmbeddedBench.class);
        QueueBackend backend = QueueBackends.embedded(InstantSource.system(), QueueLimits.defaults());
        TaskQueue queue = TaskQueue.of(backend);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            TaskWorker w = TaskWorker.of(backend, "bench-worker-" + i).withBatch(batch);
            Thread t = new Thread(() -> w.run(running::get), "bench-worker-" + i);
            t.start();
            threads.add(t);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);

        queueRun(queue, tasks / 2); // warm-up
        jdkRun(pool, tasks / 2);
        double[] q = new double[rounds];
        double[] j = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            q[r] = queueRun(queue, tasks);
            j[r] = jdkRun(pool, tasks);
            Bench.log("round %d: queue %.0f tasks/s, jdk pool %.0f tasks/s", r + 1, q[r], j[r]);
        }
        double queueRate = Bench.median(q);
        String bench = "11 embedded queue, " + workers + " thread workers, " + tasks + " add(x, y)";
        Bench.result(bench, "submit->result tasks/s", "1/s", queueRate, "goal 100,000", 100_000, false, 1.0);
        Bench.result(bench, "submit->result tasks/s", "1/s", queueRate, "JDK pool + CompletableFuture", Bench.median(j), false, 0);

        running.set(false);
        for (Thread t : threads) {
            t.join(5_000);
        }
        pool.shutdownNow();
        backend.close();

        int processTasks = Bench.intSetting("process_tasks", 20_000);
        if (processTasks > 0) {
            Bench.startArbiter(Bench.settings());
            TaskQueue shared = TaskQueue.open("embedded:"); // the arbiter's queue, in this JVM
            for (int i = 0; i < workers; i++) {
                pulsar.Pulsar.spawn(pulsar.Spawn.process().name("queue-worker")
                        .jvmOptions(pulsar.Settings.DEFAULT_WORKER_JVM_OPTIONS.split(" "))
                        .onStart(actor -> startProcessWorker(actor, batch))).join();
            }
            queueRun(shared, processTasks / 2); // warm-up
            double[] p = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                p[r] = queueRun(shared, processTasks);
                Bench.log("round %d: queue with process workers %.0f tasks/s", r + 1, p[r]);
            }
            Bench.result("11 embedded queue, " + workers + " process workers (mailbox), " + processTasks + " add(x, y)",
                    "submit->result tasks/s", "1/s", Bench.median(p), "same, thread workers", queueRate, false, 0);
            pulsar.Pulsar.arbiter().stop().join();
        }
    }

    /** Runs in a worker's child JVM: a thread consuming the arbiter's queue through its mailbox. */
    static void startProcessWorker(pulsar.Actor actor, int batch) {
        QueueBackend remote = QueueBackends.open("embedded:");
        TaskWorker w = TaskWorker.of(remote, actor.aid()).withBatch(batch);
        Thread t = new Thread(() -> w.run(() -> true), "queue-worker");
        t.setDaemon(true);
        t.start();
    }

    private static double queueRun(TaskQueue queue, int n) {
        long start = System.nanoTime();
        List<TaskFuture> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(queue.submit("bench.add", i, 1));
        }
        for (int i = 0; i < n; i++) {
            Object v = futures.get(i).orTimeout(60, TimeUnit.SECONDS).join();
            if (!(v instanceof Long l) || l != i + 1) {
                throw new AssertionError("task " + i + " gave " + v);
            }
        }
        return n / (Duration.ofNanos(System.nanoTime() - start).toNanos() / 1e9);
    }

    private static double jdkRun(ExecutorService pool, int n) {
        long start = System.nanoTime();
        List<CompletableFuture<Long>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long x = i;
            futures.add(CompletableFuture.supplyAsync(() -> add(x, 1), pool));
        }
        for (int i = 0; i < n; i++) {
            if (futures.get(i).join() != i + 1) {
                throw new AssertionError("jdk task " + i);
            }
        }
        return n / (Duration.ofNanos(System.nanoTime() - start).toNanos() / 1e9);
    }
}
