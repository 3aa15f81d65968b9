package pulsar.tests;

import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Spawn;
import pulsar.testkit.ActorContract;
import pulsar.testkit.ArbiterExtension;

/** The actor contract for process actors (child JVMs), unchanged from thread actors. */
class ProcessActorContractTest extends ActorContract {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    protected Spawn spec() {
        return Spawn.process();
    }
}
