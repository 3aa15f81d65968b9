package pulsar.tests;

import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** CPU-bound process actors: blocking request loop, answering mailbox, interruptible stop. */
class ProcessCpuBoundActorTest extends CpuBoundActorCases {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    Spawn spec() {
        return Spawn.process().cpuBound();
    }
}
