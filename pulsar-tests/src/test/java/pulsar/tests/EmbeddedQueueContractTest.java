package pulsar.tests;

import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;
import pulsar.queue.spi.QueueLimits;
import pulsar.testkit.ManualClock;
import pulsar.testkit.QueueContract;

/** The queue contract for the embedded backend, in one JVM: thread workers, the test's clock. */
class EmbeddedQueueContractTest extends QueueContract {
    @Override
    protected QueueBackend open(ManualClock clock, QueueLimits limits) {
        return QueueBackends.embedded(clock, limits);
    }
}
