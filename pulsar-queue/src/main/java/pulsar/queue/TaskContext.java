package pulsar.queue;

import java.time.Instant;

/**
 * The task a worker is running: given to a {@link TaskFunction}, and to a {@link Task} method
 * whose first parameter asks for it.
 *
 * @param id the task id
 * @param name the task name
 * @param queue the queue it came from
 * @param delivery this delivery's number, 1 for the first; above 1 the task ran before and
 *     did not finish (its worker died, its lease expired, or it asked for a retry)
 * @param maxDeliveries the deliveries allowed before the task goes to the dead letters
 * @param deadline when the delivery's lease ends (the task's timeout): past it the task is
 *     delivered again
 */
public record TaskContext(String id, String name, String queue, int delivery, int maxDeliveries, Instant deadline) {
}
