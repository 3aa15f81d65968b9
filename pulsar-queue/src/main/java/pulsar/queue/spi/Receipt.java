package pulsar.queue.spi;

/**
 * What a consumer gives back to acknowledge or fail one delivery.
 *
 * @param taskId the task id
 * @param delivery the delivery's number (1 for the first)
 * @param token backend-specific data (e.g. a Redis stream and entry id); may be empty
 */
public record Receipt(String taskId, int delivery, String token) {
}
