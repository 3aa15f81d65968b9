package pulsar.impl.supervise;

import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import pulsar.impl.actor.ActorServices;
import pulsar.impl.actor.ManagedActor;

/** Starts thread actors: a loop thread of this JVM each. */
public final class ThreadLauncher implements Launcher {
    private final ActorServices services;

    /** A launcher whose actors use this JVM's {@code services}. */
    public ThreadLauncher(ActorServices services) {
        this.services = services;
    }

    @Override
    public LaunchedActor launch(LaunchRequest r) {
        ManagedActor actor = ManagedActor.startThread(r.aid(), r.age(), r.spec(), r.manager(), r.settings(), r.config(), services);
        actor.stopped().whenComplete((v, e) -> r.onExit().accept(new ExitNotice(OptionalInt.empty(), "thread actor stopped", "")));
        return new LaunchedActor() {
            @Override
            public long pid() {
                return ProcessHandle.current().pid();
            }

            @Override
            public CompletableFuture<Void> stop(InetSocketAddress mailbox) {
                return actor.stop();
            }

            @Override
            public void kill() {
                actor.drop();
            }

            @Override
            public boolean isAlive() {
                return !actor.stopped().isDone();
            }
        };
    }
}
