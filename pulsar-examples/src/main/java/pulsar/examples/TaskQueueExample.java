package pulsar.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.queue.Task;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskQueueApplication;

/**
 * The task queue at work: {@code ./pulsar run taskqueue --tasks 10000 --workers 2} starts two
 * CPU-bound workers, submits 10,000 {@code add(i, 1)} tasks from the arbiter's JVM once they
 * run, checks every result, prints {@code N tasks done in S s (R tasks/s)} and stops (exit code
 * 1 if a task failed or gave a wrong result). With {@code --queue redis://127.0.0.1:6379/0} the
 * queue is a Redis server; without {@code --tasks} it only serves, and other JVMs (or
 * {@code pulsar task submit add 1 2}) submit the work. Its tasks: {@code add}, {@code multiply},
 * {@code sleep}, {@code fail}.
 */
public final class TaskQueueExample extends TaskQueueApplication {
    private static final long serialVersionUID = 1L;
    /** Results awaited at once: bounds the driver's memory whatever {@code tasks} is. */
    private static final int IN_FLIGHT = 10_000;

    /** The example, named {@code taskqueue}. */
    public TaskQueueExample() {
        super("taskqueue");
    }

    /** {@code add(x, y)}: the tiny task of the benchmarks. */
    @Task("add")
    public static long add(long x, long y) {
        return x + y;
    }

    /** {@code multiply(x, y)}. */
    @Task("multiply")
    public static double multiply(double x, double y) {
        return x * y;
    }

    /** {@code sleep(ms)}: blocks its worker's request loop for {@code ms} milliseconds, returns {@code ms}. */
    @Task("sleep")
    public static long sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return ms;
    }

    /** {@code fail(message)}: always fails with {@code message}, to see an error travel back. */
    @Task("fail")
    public static Object fail(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public java.util.concurrent.CompletionStage<?> monitorStart(Monitor monitor) throws Exception {
        return super.monitorStart(monitor).thenRun(() -> {
            int tasks = monitor.settings().tasks();
            if (tasks > 0) {
                // once every worker runs (the monitor's own state), drive from a thread of our own
                EventLoop.Handle[] wait = new EventLoop.Handle[1];
                wait[0] = monitor.loop().callRepeatedly(java.time.Duration.ofMillis(50), () -> {
                    if (monitor.isRunning()) {
                        wait[0].cancel();
                        Thread.ofVirtual().name("taskqueue-driver").start(() -> drive(monitor, tasks));
                    }
                });
            }
        });
    }

    /** Submits {@code n} tasks after a short warm-up, checks them, prints the rate, stops the application. */
    private void drive(Monitor monitor, int n) {
        Throwable failure = null;
        try (TaskQueue queue = TaskQueue.shared(monitor.settings().queue())) {
            submitAndCheck(queue, Math.min(n, 1000)); // warm-up: the workers' first tasks load and compile their code
            long t0 = System.nanoTime();
            submitAndCheck(queue, n);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d tasks done in %.2f s (%d tasks/s)%n", n, seconds, Math.round(n / seconds));
            System.out.flush();
        } catch (Throwable t) {
            failure = t;
            System.err.println("taskqueue: " + t.getMessage());
        }
        Throwable failed = failure;
        monitor.stop().whenComplete((v, e) -> {
            if (failed != null) {
                Pulsar.arbiter().stop().whenComplete((x, y) -> Runtime.getRuntime().exit(1));
            }
        });
    }

    private static void submitAndCheck(TaskQueue queue, int n) throws Exception {
        Semaphore window = new Semaphore(IN_FLIGHT);
        AtomicReference<Throwable> wrong = new AtomicReference<>();
        List<CompletableFuture<?>> last = new ArrayList<>();
        for (int i = 0; i < n && wrong.get() == null; i++) {
            window.acquire();
            long expected = i + 1L;
            int index = i;
            CompletableFuture<?> f = queue.submit("add", i, 1).whenComplete((result, e) -> {
                window.release();
                if (e != null) {
                    wrong.compareAndSet(null, new IllegalStateException("task add(" + index + ", 1) failed: " + e.getMessage(), e));
                } else if (!(result instanceof Number r) || r.longValue() != expected) {
                    wrong.compareAndSet(null, new IllegalStateException("task add(" + index + ", 1) gave " + result));
                }
            });
            if (i >= n - IN_FLIGHT) {
                last.add(f);
            }
        }
        CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(10, TimeUnit.MINUTES);
        window.acquire(IN_FLIGHT); // every result is in
        if (wrong.get() != null) {
            throw new IllegalStateException(wrong.get().getMessage(), wrong.get());
        }
    }
}
