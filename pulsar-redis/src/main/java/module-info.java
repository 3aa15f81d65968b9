/**
 * The task queue's Redis Streams backend, opened for queue URLs {@code redis://host:port/db}
 * through {@link pulsar.queue.spi.QueueBackendProvider}. Nothing is exported: the backend is
 * reached through {@code pulsar.queue} ({@code TaskQueue.open("redis://...")}).
 */
module pulsar.redis {
    requires pulsar.queue;
    requires lettuce.core;
    requires org.slf4j;

    provides pulsar.queue.spi.QueueBackendProvider with pulsar.redis.impl.RedisProvider;
}
