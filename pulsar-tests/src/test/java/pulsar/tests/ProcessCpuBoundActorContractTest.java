package pulsar.tests;

import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Spawn;
import pulsar.testkit.ActorContract;
import pulsar.testkit.ArbiterExtension;

/** The actor contract for CPU-bound process actors: a request loop of their own, the mailbox on a second thread. */
class ProcessCpuBoundActorContractTest extends ActorContract {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    protected Spawn spec() {
        return Spawn.process().cpuBound();
    }
}
