package pulsar.redis.impl;

import java.net.URI;
import java.time.InstantSource;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackendProvider;
import pulsar.queue.spi.QueueLimits;

/**
 * {@code redis://host:port/db}: the Redis Streams backend. Opening connects at once: an
 * unreachable server fails the call with a one-line {@code BACKEND} error naming the URL; once
 * open, lost connections are re-established with backoff.
 */
public final class RedisProvider implements QueueBackendProvider {
    /** For the service loader. */
    public RedisProvider() {
    }

    @Override
    public String scheme() {
        return "redis";
    }

    @Override
    public QueueBackend open(URI url) {
        return open(RedisSpec.parse(url), QueueLimits.defaults(), InstantSource.system());
    }

    static RedisBackend open(RedisSpec spec, QueueLimits limits, InstantSource clock) {
        return new RedisBackend(spec, limits, clock);
    }
}
