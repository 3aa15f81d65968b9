package pulsar.impl.supervise;

import java.net.InetSocketAddress;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import pulsar.impl.actor.ActorServices;
import pulsar.impl.actor.ColocatedActors;
import pulsar.impl.actor.ManagedActor;

/**
 * Starts thread actors: a loop thread of this JVM each, or, for co-located actors, a place on
 * one of the few loops they share ({@link ColocatedActors}).
 */
public final class ThreadLauncher implements Launcher {
    private final ActorServices services;
    private final ColocatedActors colocated;

    /** A launcher whose actors use this JVM's {@code services}. */
    public ThreadLauncher(ActorServices services) {
        this.services = services;
        this.colocated = new ColocatedActors(services);
    }

    @Override
    public LaunchedActor launch(LaunchRequest r) {
        boolean shared = r.spec().isColocated();
        ManagedActor actor = shared
                ? colocated.start(r.aid(), r.age(), r.spec(), r.manager(), r.settings(), r.config())
                : ManagedActor.startThread(r.aid(), r.age(), r.spec(), r.manager(), r.settings(), r.config(), services);
        String how = shared ? "co-located actor stopped" : "thread actor stopped";
        actor.stopped().whenComplete((v, e) -> r.onExit().accept(new ExitNotice(OptionalInt.empty(), how, "")));
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

            @Override
            public long aliveNanos() {
                return actor.loopBeatNanos();
            }
        };
    }

    /** How many shared loops of co-located actors run now. */
    public int sharedLoops() {
        return colocated.loops();
    }

    @Override
    public CompletableFuture<Void> close() {
        return colocated.close();
    }
}
