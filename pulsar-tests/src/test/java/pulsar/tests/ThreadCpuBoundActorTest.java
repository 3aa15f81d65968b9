package pulsar.tests;

import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** CPU-bound thread actors: blocking request loop, answering mailbox, interruptible stop. */
class ThreadCpuBoundActorTest extends CpuBoundActorCases {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    Spawn spec() {
        return Spawn.thread().cpuBound();
    }
}
