package pulsar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskWorker;
import pulsar.queue.Tasks;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;

/**
 * Benchmark 11 (issue 9): the Redis queue backend. N tiny {@code add(x, y)} tasks, submit to
 * result, with 1 and 2 consumers, against the redis-server at 127.0.0.1:{@code BENCH_QUEUE_REDIS_PORT}
 * that {@code run.sh} also runs BullMQ, Celery and {@code redis-benchmark -t xadd} against:
 * tasks/s and the redis-server's CPU per task ({@code INFO cpu} before and after). The
 * references' figures come in as {@code BENCH_REF_*} variables set by run.sh.
 *
 * <p>Each consumer is a {@link TaskWorker} thread with a backend (connections) of its own, as
 * if on a machine of its own; the submitter is a third backend. Settings: {@code BENCH_QUEUE_TASKS}
 * (10000), {@code BENCH_QUEUE_CONSUMERS} ("1 2"), {@code BENCH_QUEUE_REDIS_BATCH} (100 tasks per fetch),
 * {@code BENCH_QUEUE_ROUNDS} (3, median).
 */
public final class QueueBench {
    private QueueBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Bench.intSetting("queue_redis_port", 0);
        if (port <= 0) {
            throw new IllegalArgumentException("set BENCH_QUEUE_REDIS_PORT to the port of the benchmark's redis-server");
        }
        int n = Bench.intSetting("queue_tasks", 10_000);
        int batch = Bench.intSetting("queue_redis_batch", 100);
        int rounds = Bench.intSetting("queue_rounds", 3);
        Tasks.register("bench.add", (ctx, a) -> ((Number) a.get(0)).longValue() + ((Number) a.get(1)).longValue());
        for (String c : Bench.stringSetting("queue_consumers", "1 2").trim().split("\\s+")) {
            int consumers = Integer.parseInt(c);
            String url = "redis://127.0.0.1:" + port + "/0?prefix=bench" + consumers + "-" + System.nanoTime();
            double[] tps = new double[rounds];
            double[] us = new double[rounds];
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            List<QueueBackend> backends = new ArrayList<>();
            try (TaskQueue queue = TaskQueue.open(url)) {
                for (int i = 0; i < consumers; i++) {
                    QueueBackend b = QueueBackends.open(url);
                    backends.add(b);
                    TaskWorker w = TaskWorker.of(b, "bench-consumer-" + i).withBatch(batch);
                    Thread t = new Thread(() -> w.run(running::get), "bench-consumer-" + i);
                    t.setDaemon(true);
                    t.start();
                    threads.add(t);
                }
                run(queue, Math.min(n, 5_000));
                run(queue, Math.min(n, 5_000));
                for (int r = 0; r < rounds; r++) {
                    double cpu0 = redisCpu(port);
                    long t0 = System.nanoTime();
                    run(queue, n);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpu1 = redisCpu(port);
                    tps[r] = n / seconds;
                    us[r] = (cpu1 - cpu0) * 1e6 / n;
                    Bench.log("pulsar-redis consumers=%d tasks=%d seconds=%.3f tasks_per_s=%.0f redis_cpu_us_per_task=%.1f",
                            consumers, n, seconds, tps[r], us[r]);
                }
            } finally {
                running.set(false);
                for (Thread t : threads) {
                    t.interrupt();
                    t.join(10_000);
                }
                backends.forEach(QueueBackend::close);
            }
            report(consumers, Bench.median(tps), Bench.median(us));
        }
        System.exit(0);
    }

    private static void run(TaskQueue queue, int n) throws Exception {
        List<TaskFuture> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(queue.submit("bench.add", i, 1));
        }
        for (int i = 0; i < n; i++) {
            Object v = futures.get(i).get(120, TimeUnit.SECONDS);
            if (!(v instanceof Number num) || num.longValue() != i + 1) {
                throw new IllegalStateException("task " + i + ": " + v);
            }
        }
    }

    private static void report(int consumers, double tps, double us) {
        String bench = "11 queue redis, " + consumers + " consumer" + (consumers == 1 ? "" : "s");
        double bullTps = ref("bullmq_tps_" + consumers);
        double bullUs = ref("bullmq_us_" + consumers);
        double celeryTps = ref("celery_tps");
        double celeryUs = ref("celery_us");
        double xadd1 = ref("xadd_p1_ops");
        double xadd16 = ref("xadd_p16_ops");
        double xaddUs = ref("xadd_p16_us");
        Bench.result(bench, "submit->result", "tasks/s", tps, "BullMQ " + consumers + "w", bullTps, false, 3.0);
        Bench.result(bench, "redis CPU per task", "us", us, "BullMQ " + consumers + "w", bullUs, true, 0.25);
        Bench.absolute(bench, "redis CPU per task", "us", us, 30);
        Bench.result(bench, "submit->result", "tasks/s", tps, "Celery 2 procs", celeryTps, false, 20.0);
        Bench.result(bench, "redis CPU per task", "us", us, "Celery 2 procs", celeryUs, true, 0);
        Bench.result(bench, "submit->result", "tasks/s", tps, "XADD -P 1", xadd1, false, 0);
        Bench.result(bench, "submit->result", "tasks/s", tps, "XADD -P 16", xadd16, false, 0);
        Bench.result(bench, "redis CPU per task", "us", us, "one XADD -P 16", xaddUs, true, 0);
    }

    private static double ref(String name) {
        String v = System.getenv("BENCH_REF_" + name.toUpperCase(Locale.ROOT));
        try {
            return v == null || v.isBlank() ? Double.NaN : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** {@code used_cpu_sys + used_cpu_user} of the server's {@code INFO cpu}, seconds. */
    static double redisCpu(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String head = in.readLine();
            if (head == null || !head.startsWith("$")) {
                throw new IOException("INFO cpu: unexpected reply " + head);
            }
            double total = 0;
            int found = 0;
            String line;
            while (found < 2 && (line = in.readLine()) != null) {
                if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                    total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                    found++;
                }
            }
            return total;
        }
    }
}
