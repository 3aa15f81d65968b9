package pulsar.redis.impl;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueLimits;
import pulsar.testkit.ManualClock;
import pulsar.testkit.QueueContract;
import pulsar.testkit.RedisServerExtension;

/**
 * The queue contract against the Redis backend and a real {@code redis-server}: each test gets
 * keys of its own (a fresh prefix). Leases are Redis's real time, so the contract waits instead
 * of moving a clock.
 */
class RedisQueueContractTest extends QueueContract {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    private static int n;

    @Override
    protected QueueBackend open(ManualClock clock, QueueLimits limits) {
        RedisSpec spec = RedisSpec.parse(URI.create(REDIS.server().url() + "?prefix=contract" + (++n)));
        return RedisProvider.open(spec, limits, clock);
    }

    @Override
    protected boolean clockDriven() {
        return false;
    }

    @Override
    protected Duration unit() {
        return Duration.ofMillis(500);
    }
}
