package pulsar.tests;

import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Spawn;
import pulsar.testkit.ActorContract;
import pulsar.testkit.ArbiterExtension;

/** The actor contract for CPU-bound thread actors: a request loop of their own, the mailbox on a second thread. */
class ThreadCpuBoundActorContractTest extends ActorContract {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    protected Spawn spec() {
        return Spawn.thread().cpuBound();
    }
}
