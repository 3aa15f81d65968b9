package pulsar.queue.spi;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskStatus;

/**
 * Where tasks wait, with at-least-once delivery: a consumer fetches tasks under a lease and
 * acknowledges each with its result or fails it; a delivery whose lease expires, or whose
 * consumer is released (it died), is delivered again, until {@code max_deliveries} deliveries
 * make it a dead letter. It maps onto Redis Streams: enqueue is {@code XADD}, fetch
 * {@code XREADGROUP}, ack {@code XACK}, and lease expiry {@code XAUTOCLAIM} with the lease as
 * its min-idle-time.
 *
 * <p>Every method is thread-safe, never blocks the caller (long waits complete the future
 * later), and fails its future with a {@link pulsar.queue.TaskException}: {@code BAD_ARGUMENTS}
 * for bad input, {@code TOO_LARGE}, {@code QUEUE_FULL}, or {@code BACKEND} when the backend
 * cannot be reached. Futures may complete on a backend thread: do not block in their callbacks.
 */
public interface QueueBackend extends AutoCloseable {
    /**
     * Queues a task.
     *
     * @return the task's id once the task is stored
     */
    CompletableFuture<String> enqueue(TaskMessage task);

    /**
     * Leases up to {@code max} tasks of the named queues to {@code consumer}: the highest
     * priority first, then the order of {@code queues}, then the oldest. When none is ready it
     * waits up to {@code wait} (bounded by the backend's limit) for one.
     *
     * @param consumer who consumes (an actor's aid): {@link #release(String)} names it
     * @return the deliveries, empty when the wait ended with none
     */
    CompletableFuture<List<Delivery>> fetch(String consumer, List<String> queues, int max, Duration wait);

    /**
     * Acknowledges a delivery with the task's result (JSON text) and finishes the task; its
     * submitter's {@link #result(String)} completes.
     *
     * @return {@code true} if this finished the task, {@code false} if it had finished already
     *     (a late acknowledgement of a delivery given again: the result is dropped)
     */
    CompletableFuture<Boolean> ack(String consumer, Receipt receipt, String resultJson);

    /**
     * Fails a delivery. With {@code retry}, the task is delivered again after its backoff while
     * deliveries remain, and is a dead letter after the last; without, it fails at once.
     *
     * @return {@code false} if the delivery was no longer current (its lease had expired)
     */
    CompletableFuture<Boolean> fail(String consumer, Receipt receipt, TaskFailure failure, String error, boolean retry);

    /**
     * Gives back every task leased to {@code consumer} (it died or stopped): each is queued again,
     * or is a dead letter when it has had its {@code max_deliveries}. The consumer's pending
     * fetches end, empty, so that no task is handed to it afterwards.
     *
     * @return how many tasks were given back
     */
    CompletableFuture<Integer> release(String consumer);

    /**
     * Cancels a task that has not started (queued or waiting for a retry); its submitter's
     * future fails with {@code CANCELLED}.
     *
     * @return {@code false} if the task is running, finished or unknown
     */
    CompletableFuture<Boolean> cancel(String id);

    /**
     * The task's outcome, when it has one: completes at once for a finished task, later for a
     * live one. Fails with {@code NO_SUCH_TASK} for an id the backend does not know (or whose
     * outcome it has forgotten).
     */
    CompletableFuture<TaskOutcome> result(String id);

    /** What the backend knows of the task, or {@code null}. */
    CompletableFuture<TaskStatus> status(String id);

    /** The most recent dead letters, oldest first, at most {@code limit}. */
    CompletableFuture<List<TaskStatus>> deadLetters(int limit);

    /** The backend's counters. */
    CompletableFuture<QueueStats> stats();

    /** Releases the backend's resources; pending calls fail with {@code BACKEND}. */
    @Override
    void close();
}
