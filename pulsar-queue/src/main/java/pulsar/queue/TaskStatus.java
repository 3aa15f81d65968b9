package pulsar.queue;

/**
 * What a backend knows of one task.
 *
 * @param id the task id
 * @param name the task name
 * @param queue its queue
 * @param priority its priority, 0 to 9, higher first
 * @param state where it is
 * @param deliveries how many times it has been delivered so far
 * @param maxDeliveries the deliveries allowed before it becomes a dead letter
 * @param failure the kind of its last failure, or {@code null}
 * @param error the text of its last failure (the worker's error), or {@code null}
 */
public record TaskStatus(String id, String name, String queue, int priority, TaskState state, int deliveries,
        int maxDeliveries, TaskFailure failure, String error) {
}
