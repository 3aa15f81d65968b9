package pulsar.queue.spi;

import java.time.Instant;
import pulsar.queue.TaskContext;

/**
 * One delivery of a task to a consumer, leased until {@code leaseUntil}: acknowledge it
 * ({@link QueueBackend#ack}) or fail it ({@link QueueBackend#fail}) before then, or it is
 * delivered again.
 *
 * @param task the task
 * @param delivery this delivery's number, 1 for the first
 * @param leaseUntil when the lease ends, milliseconds since the epoch (backend clock)
 * @param token backend-specific data for the {@link Receipt}; may be empty
 */
public record Delivery(TaskMessage task, int delivery, long leaseUntil, String token) {
    /** What acknowledges or fails this delivery. */
    public Receipt receipt() {
        return new Receipt(task.id(), delivery, token);
    }

    /** The context a task function sees. */
    public TaskContext context() {
        return new TaskContext(task.id(), task.name(), task.options().queue(), delivery, task.options().maxDeliveries(),
                Instant.ofEpochMilli(leaseUntil));
    }
}
