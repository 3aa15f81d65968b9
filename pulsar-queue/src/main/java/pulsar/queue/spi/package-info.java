/**
 * The task queue's backend SPI: a {@link pulsar.queue.spi.QueueBackend} stores tasks and hands
 * them to consumers with acknowledgement (at least once); a
 * {@link pulsar.queue.spi.QueueBackendProvider}, found with {@link java.util.ServiceLoader},
 * opens one for a URL scheme ({@code embedded}, {@code arbiter}, {@code redis} from pulsar-redis).
 * {@link pulsar.queue.spi.QueueBackends} opens backends and makes the embedded one.
 */
package pulsar.queue.spi;
