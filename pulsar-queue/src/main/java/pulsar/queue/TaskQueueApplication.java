package pulsar.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Actor;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;

/**
 * The task-queue application: a pool of CPU-bound workers (thread or process actors, after the
 * {@code concurrency} setting) that take tasks from the queue at the {@code queue} setting and
 * run them on their request loop, one at a time, while their mailbox keeps answering. The
 * monitor supervises them as any application's workers; a worker that dies gives its leased
 * tasks back at once (they are delivered again), and the queue's counters appear in the
 * application's {@code info} under {@code queue_stats}.
 * <pre>{@code
 * Pulsar.arbiter().add(new TaskQueueApplication("tasks").setting("workers", 4)
 *         .setting("queue", "redis://127.0.0.1:6379/0"));
 * }</pre>
 * Submit with a {@link TaskQueue} on the same {@code queue} URL, from any JVM.
 */
public class TaskQueueApplication extends Application {
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(TaskQueueApplication.class);

    private transient Map<String, Consumer> consumers;
    private transient MonitorSide monitorSide;

    /** An application named {@code name}. */
    public TaskQueueApplication(String name) {
        super(name);
    }

    /** Its workers are CPU-bound: a task may block a worker's {@code loop()} for as long as it needs. */
    @Override
    public boolean cpuBound() {
        return true;
    }

    /** The queues the workers consume, in order of preference: {@code default}. Override to name others. */
    protected List<String> queues() {
        return List.of(TaskOptions.DEFAULT_QUEUE);
    }

    /** How many tasks a worker fetches at once: the {@code task_batch} setting. */
    protected int batch() {
        return settings().taskBatch();
    }

    /** The monitor's side: the queue, opened once (so a bad URL stops the start), and the exit watch. */
    private static final class MonitorSide {
        final QueueBackend backend;
        final EventLoop.Handle watch;
        volatile Map<String, Object> stats;

        MonitorSide(QueueBackend backend, EventLoop.Handle watch, Map<String, Object> stats) {
            this.backend = backend;
            this.watch = watch;
            this.stats = stats;
        }
    }

    private synchronized Map<String, Consumer> consumers() {
        if (consumers == null) {
            consumers = new ConcurrentHashMap<>();
        }
        return consumers;
    }

    /**
     * Opens the queue in the arbiter's JVM (an unreachable Redis fails the start here, in one
     * line) and watches the workers' exits: a dead worker's leased tasks are given back at once.
     */
    @Override
    public CompletionStage<?> monitorStart(Monitor monitor) throws Exception {
        String url = monitor.settings().queue();
        QueueBackend backend;
        try {
            backend = QueueBackends.shared(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return backend.stats().orTimeout(10, TimeUnit.SECONDS).handle((stats, failure) -> {
            if (failure != null) {
                backend.close();
                Throwable t = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                throw new IllegalStateException("application " + name() + ": queue " + url + " cannot be reached: "
                        + (t instanceof java.util.concurrent.TimeoutException ? "no answer in 10 s" : t.getMessage()), t);
            }
            Map<String, Object> shown = stats.toMap();
            EventLoop.Handle watch = Pulsar.arbiter().watch(new ActorListener() {
                @Override
                public void exited(ActorExit exit) {
                    if (exit.name().equals(name())) {
                        backend.release(exit.aid()).whenComplete((n, e) -> {
                            if (e == null && n > 0) {
                                log.warn("application {}: worker {} ended ({}): {} of its tasks queued again", name(), exit.aid(),
                                        exit.cause().name().toLowerCase(java.util.Locale.ROOT), n);
                            }
                        });
                    }
                }
            });
            synchronized (this) {
                monitorSide = new MonitorSide(backend, watch, shown);
            }
            return null;
        });
    }

    /** Refreshes the counters {@code info} shows (without waiting on the loop). */
    @Override
    public void monitorTask(Monitor monitor) throws Exception {
        MonitorSide m = side();
        if (m != null) {
            m.backend.stats().thenAccept(s -> m.stats = s.toMap());
        }
    }

    @Override
    public void monitorInfo(Monitor monitor, Map<String, Object> info) throws Exception {
        info.put("queue", monitor.settings().queue());
        MonitorSide m = side();
        if (m != null) {
            info.put("queue_stats", m.stats);
        }
    }

    @Override
    public CompletionStage<?> monitorStopping(Monitor monitor) throws Exception {
        MonitorSide m;
        synchronized (this) {
            m = monitorSide;
            monitorSide = null;
        }
        if (m != null) {
            m.watch.cancel();
            // The workers stop after this: their leased tasks go back when they exit (the local
            // embedded queue hears their exits itself); the monitor's own client closes later.
            CompletableFuture.delayedExecutor(monitor.settings().gracefulTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)
                    .execute(m.backend::close);
        }
        return super.monitorStopping(monitor);
    }

    private synchronized MonitorSide side() {
        return monitorSide;
    }

    /** Opens the queue in the worker's JVM and starts consuming on the worker's request loop. */
    @Override
    public CompletionStage<?> workerStart(Actor worker) throws Exception {
        QueueBackend backend = QueueBackends.shared(settings().queue()); // thread workers share the JVM's client
        Consumer c = new Consumer(worker.aid(), backend, TaskWorker.of(backend, worker.aid(), queues().toArray(String[]::new))
                .withBatch(batch()));
        consumers().put(worker.aid(), c);
        worker.loop().execute(c::run);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stops consuming: the request loop ends its current task (a stop interrupts a task that
     * runs too long) and the backend closes once the loop has left it.
     */
    @Override
    public CompletionStage<?> workerStopping(Actor worker) throws Exception {
        Consumer c = consumers().remove(worker.aid());
        if (c == null) {
            return CompletableFuture.completedFuture(null);
        }
        c.running = false;
        return c.finished.completeOnTimeout(null, worker.settings().stopGrace().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> c.backend.close());
    }

    /** One worker's consumer loop and its backend. */
    private static final class Consumer {
        final String aid;
        final QueueBackend backend;
        final TaskWorker worker;
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        volatile boolean running = true;

        Consumer(String aid, QueueBackend backend, TaskWorker worker) {
            this.aid = aid;
            this.backend = backend;
            this.worker = worker;
        }

        void run() {
            try {
                worker.run(() -> running);
            } catch (RuntimeException e) {
                log.error("task worker {} ended: {}", aid, e.toString(), e);
            } finally {
                finished.complete(null);
            }
        }
    }
}
