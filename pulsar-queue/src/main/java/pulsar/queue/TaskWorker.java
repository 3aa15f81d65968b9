package pulsar.queue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import pulsar.Pulsar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.queue.impl.Json;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.Receipt;

/**
 * A consumer's loop: fetches tasks from a backend, runs each with this JVM's {@link Tasks}, and
 * acknowledges its result or fails it. It runs on the calling thread and blocks it (a CPU-bound
 * actor's {@code loop()}, or any thread); a task may block for as long as it needs. A thread
 * interrupted during a task leaves the task unacknowledged: it is delivered again when the
 * consumer is released or its lease ends. On an actor's own loop thread, which it blocks, it makes
 * its backend calls from other threads, so that their replies do not wait for the blocked loop.
 * <pre>{@code
 * TaskWorker worker = TaskWorker.of(queue.backend(), actor.aid(), "default");
 * worker.run(() -> running);
 * }</pre>
 */
public final class TaskWorker {
    /** Tasks fetched at once. */
    public static final int DEFAULT_BATCH = 8;
    /** How long one fetch waits for a task. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(TaskWorker.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** Backend calls made for a worker that blocks an actor's loop (whose replies that loop would carry). */
    private static final ExecutorService OFF_LOOP = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-worker-call-", 0).factory());

    private final QueueBackend backend;
    private final String consumer;
    private final List<String> queues;
    private final int batch;

    private TaskWorker(QueueBackend backend, String consumer, List<String> queues, int batch) {
        this.backend = Objects.requireNonNull(backend, "backend");
        if (consumer == null || consumer.isBlank()) {
            throw new IllegalArgumentException("task worker: the consumer name is blank");
        }
        this.consumer = consumer;
        this.queues = queues.isEmpty() ? List.of(TaskOptions.DEFAULT_QUEUE) : List.copyOf(queues);
        this.queues.forEach(TaskOptions::checkQueue);
        if (batch < 1 || batch > 1000) {
            throw new IllegalArgumentException("task worker batch: " + batch + " is not between 1 and 1000");
        }
        this.batch = batch;
    }

    /**
     * A worker consuming {@code queues} (in order of preference; {@code default} when none) as
     * {@code consumer}, the name the backend leases tasks to (an actor's aid, so that its
     * tasks are given back when it exits).
     */
    public static TaskWorker of(QueueBackend backend, String consumer, String... queues) {
        return new TaskWorker(backend, consumer, List.of(queues), DEFAULT_BATCH);
    }

    /** A copy that fetches up to {@code n} tasks at once (1 to 1000). */
    public TaskWorker withBatch(int n) {
        return new TaskWorker(backend, consumer, queues, n);
    }

    /** The consumer name. */
    public String consumer() {
        return consumer;
    }

    /**
     * Fetches up to a batch of tasks, waiting up to {@code wait} for one, and runs them.
     *
     * @return how many tasks it ran
     * @throws InterruptedException if the thread is interrupted (the fetched tasks not yet
     *     acknowledged are delivered again later)
     * @throws TaskException if the backend fails
     */
    public int runOnce(Duration wait) throws InterruptedException {
        List<Delivery> got;
        try {
            got = call(() -> backend.fetch(consumer, queues, batch, wait)).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof TaskException t ? t : new TaskException(TaskFailure.BACKEND, String.valueOf(e.getCause()), e);
        }
        int n = 0;
        for (Delivery d : got) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("task worker " + consumer + " interrupted");
            }
            execute(d);
            n++;
        }
        return n;
    }

    /**
     * Runs tasks until {@code keepRunning} says stop or the thread is interrupted. A backend
     * failure is logged and the fetch tried again after a growing pause (up to 5 s).
     */
    public void run(BooleanSupplier keepRunning) {
        long pause = 50;
        while (keepRunning.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            try {
                runOnce(DEFAULT_POLL);
                pause = 50;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (TaskException e) {
                log.warn("task worker {}: fetch failed, again in {} ms: {}", consumer, pause, e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = Math.min(pause * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /**
     * Runs one delivery and acknowledges or fails it: an unknown task fails with
     * {@code UNKNOWN_TASK}, arguments that do not fit with {@code BAD_ARGUMENTS}, a task that
     * throws with {@code TASK_ERROR} and its error text (retried if the task's options say so).
     * Returns without acknowledging if the thread is interrupted during the task.
     */
    public void execute(Delivery d) {
        Receipt receipt = d.receipt();
        String name = d.task().name();
        TaskFunction f = Tasks.lookup(name);
        if (f == null) {
            fail(receipt, TaskFailure.UNKNOWN_TASK, "no task named '" + name + "' in worker " + consumer, false);
            return;
        }
        Object value;
        try {
            List<Object> args = Json.readArgs(d.task().args());
            value = f.apply(d.context(), args);
            if (value instanceof CompletionStage<?> stage) {
                value = stage.toCompletableFuture().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (TaskException e) {
            fail(receipt, e.failure(), e.getMessage(), e.failure() == TaskFailure.TASK_ERROR && d.task().options().retryOnError());
            return;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            fail(receipt, TaskFailure.TASK_ERROR, describe(cause), d.task().options().retryOnError());
            return;
        }
        String json;
        try {
            json = Json.writeValue(value);
        } catch (TaskException e) {
            fail(receipt, TaskFailure.BAD_ARGUMENTS, "the result of task '" + name + "' " + e.getMessage(), false);
            return;
        }
        call(() -> backend.ack(consumer, receipt, json)).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("task worker {}: ack of task {} failed (it will be delivered again): {}", consumer, receipt.taskId(),
                        failure.toString());
            }
        });
    }

    private void fail(Receipt receipt, TaskFailure failure, String error, boolean retry) {
        log.debug("task {} failed on {}: {} {}", receipt.taskId(), consumer, failure, error);
        call(() -> backend.fail(consumer, receipt, failure, error, retry)).whenComplete((ok, t) -> {
            if (t != null) {
                log.warn("task worker {}: fail of task {} not recorded (it will be delivered again): {}", consumer,
                        receipt.taskId(), t.toString());
            }
        });
    }

    /**
     * A backend call, made from another thread when this one is an actor's loop: a call from a
     * loop thread is answered on that loop (the mailbox client's rule), which this worker blocks.
     */
    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> c) {
        if (Pulsar.getActor() == null) {
            return c.get();
        }
        return CompletableFuture.supplyAsync(c, OFF_LOOP).thenCompose(f -> f);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
    }
}
