package pulsar.queue;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import pulsar.queue.impl.Json;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * The client of a task queue: submit tasks and get their results, cancel them, read their
 * status and the queue's statistics. Thread-safe; no call blocks.
 * <pre>{@code
 * try (TaskQueue queue = TaskQueue.open("embedded:")) {
 *     Object sum = queue.submit("add", 1, 2).get(10, TimeUnit.SECONDS); // 3L
 * }
 * }</pre>
 */
public final class TaskQueue implements AutoCloseable {
    private final QueueBackend backend;
    private final boolean owned;

    private TaskQueue(QueueBackend backend, boolean owned) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.owned = owned;
    }

    /**
     * Opens the queue at {@code url} ({@link QueueBackends#open(String)}): {@code embedded:} by
     * default, {@code redis://host:port/db} with pulsar-redis. Closing the client closes its backend.
     *
     * @throws IllegalArgumentException for a malformed URL or an unknown scheme
     */
    public static TaskQueue open(String url) {
        return new TaskQueue(QueueBackends.open(url), true);
    }

    /**
     * A client of this JVM's shared backend for {@code url} ({@link QueueBackends#shared(String)}):
     * in the arbiter's JVM it uses the same Redis client as the application's monitor and thread
     * workers. Closing the client gives its handle back.
     *
     * @throws IllegalArgumentException for a malformed URL or an unknown scheme
     */
    public static TaskQueue shared(String url) {
        return new TaskQueue(QueueBackends.shared(url), true);
    }

    /** A client of {@code backend}, which stays open when the client closes. */
    public static TaskQueue of(QueueBackend backend) {
        return new TaskQueue(backend, false);
    }

    /** The backend this client uses. */
    public QueueBackend backend() {
        return backend;
    }

    /** Submits task {@code name} with the default options; see {@link #submit(TaskOptions, String, Object...)}. */
    public TaskFuture submit(String name, Object... args) {
        return submit(TaskOptions.defaults(), name, args);
    }

    /**
     * Submits task {@code name} with {@code args}, which must be values Jackson can write as
     * JSON (strings, numbers, booleans, null, lists, maps, records, beans).
     *
     * @return the task's future: its id at once, its result when a worker has run it; it fails
     *     with a {@link TaskException} ({@code BAD_ARGUMENTS} for arguments that are not JSON,
     *     {@code TOO_LARGE}, {@code QUEUE_FULL}, {@code UNKNOWN_TASK}, {@code TASK_ERROR} with the
     *     worker's error text, {@code DEAD_LETTER}, {@code CANCELLED}, {@code BACKEND})
     */
    public TaskFuture submit(TaskOptions options, String name, Object... args) {
        Objects.requireNonNull(options, "options");
        String id = TaskMessage.newId();
        TaskFuture f = new TaskFuture(id, this);
        TaskMessage m;
        try {
            m = new TaskMessage(id, name, Json.writeArgs(args == null ? new Object[] {null} : args), options,
                    System.currentTimeMillis());
        } catch (TaskException e) {
            f.completeExceptionally(e);
            return f;
        } catch (IllegalArgumentException e) {
            f.completeExceptionally(new TaskException(TaskFailure.BAD_ARGUMENTS, e.getMessage()));
            return f;
        }
        backend.enqueue(m).thenCompose(ignored -> backend.result(id)).whenComplete((outcome, failure) -> settle(f, outcome, failure));
        return f;
    }

    /** The result of an earlier task, as its {@link TaskFuture} would give it. */
    public CompletableFuture<Object> result(String id) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        backend.result(id).whenComplete((outcome, failure) -> settle(f, outcome, failure));
        return f;
    }

    /** Cancels a task that has not started; {@code false} if it is running, finished or unknown. */
    public CompletableFuture<Boolean> cancel(String id) {
        return backend.cancel(id);
    }

    /** What the queue knows of a task, or {@code null}. */
    public CompletableFuture<TaskStatus> status(String id) {
        return backend.status(id);
    }

    /** The latest dead letters, oldest first, at most {@code limit}. */
    public CompletableFuture<List<TaskStatus>> deadLetters(int limit) {
        return backend.deadLetters(limit);
    }

    /** The queue's counters. */
    public CompletableFuture<QueueStats> stats() {
        return backend.stats();
    }

    /** Closes the backend if {@link #open(String)} opened it. */
    @Override
    public void close() {
        if (owned) {
            backend.close();
        }
    }

    private static void settle(CompletableFuture<Object> f, TaskOutcome outcome, Throwable failure) {
        if (failure != null) {
            Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            f.completeExceptionally(t instanceof TaskException ? t : new TaskException(TaskFailure.BACKEND, t.toString(), t));
        } else if (outcome.state() == TaskState.DONE) {
            try {
                f.complete(Json.readValue(outcome.result()));
            } catch (TaskException e) {
                f.completeExceptionally(e);
            }
        } else {
            f.completeExceptionally(outcome.exception());
        }
    }
}
