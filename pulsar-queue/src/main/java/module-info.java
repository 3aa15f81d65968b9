/**
 * Pulsar's distributed task queue: named tasks ({@link pulsar.queue.Task}), the client
 * ({@link pulsar.queue.TaskQueue}), the consumer loop of a worker ({@link pulsar.queue.TaskWorker}),
 * and the backend SPI ({@code pulsar.queue.spi}) with the embedded backend that lives in the
 * arbiter's JVM. Other backends (Redis) plug in as {@link pulsar.queue.spi.QueueBackendProvider}
 * services, found by the scheme of the queue URL. {@code pulsar.queue.impl} is implementation
 * and is not exported.
 */
module pulsar.queue {
    exports pulsar.queue;
    exports pulsar.queue.spi;

    // pulsar.core finds and invokes the queue's wire commands (@pulsar.Command) in the arbiter.
    opens pulsar.queue.impl to pulsar.core;

    requires transitive pulsar.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    uses pulsar.queue.spi.QueueBackendProvider;
    provides pulsar.queue.spi.QueueBackendProvider with
            pulsar.queue.impl.EmbeddedProvider,
            pulsar.queue.impl.ArbiterProvider;
}
