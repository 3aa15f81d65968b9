package pulsar.impl.actor;

import java.util.concurrent.CompletableFuture;
import pulsar.ActorProxy;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.loop.ActorLoop;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.SharedLoops;
import pulsar.impl.mailbox.LocalMailbox;
import pulsar.impl.mailbox.MailboxConfig;

/**
 * Where co-located actors ({@link Spawn#colocated()}, {@link Spawn#onLoopOf}) run: a
 * {@link SharedLoops} group of this JVM, started with the first of them and stopped with the
 * arbiter.
 */
public final class ColocatedActors {
    private final ActorServices services;
    private final SharedLoops loops;

    /** Co-located actors of this JVM, on one loop per core (or {@code -Dpulsar.shared_loops=N}). */
    public ColocatedActors(ActorServices services) {
        this.services = services;
        this.loops = SharedLoops.perCore();
    }

    /**
     * Starts a co-located actor on the least loaded shared loop, or on the loop of
     * {@link Spawn#loopOf()}.
     *
     * @throws IllegalArgumentException when {@code loopOf} names no live co-located actor of this JVM
     */
    public ManagedActor start(String aid, long age, Spawn spec, ActorProxy manager, Settings settings, MailboxConfig config) {
        EventLoopImpl loop;
        String host = spec.loopOf();
        if (host == null) {
            loop = loops.acquire();
        } else {
            LocalMailbox mate = services.dispatcher().local(host);
            if (mate == null || !(mate.ioLoop() instanceof ActorLoop view)) {
                throw new IllegalArgumentException("spawn onLoopOf: '" + host + "' is not a live co-located actor of the arbiter's JVM");
            }
            loop = loops.acquire(view.shared());
        }
        EventLoopImpl chosen = loop;
        return ManagedActor.startColocated(aid, age, spec, manager, settings, config, services, chosen, () -> loops.release(chosen));
    }

    /** How many shared loops run now. */
    public int loops() {
        return loops.running();
    }

    /** Stops the shared loops (the arbiter stops, its actors have gone). */
    public CompletableFuture<Void> close() {
        return loops.close();
    }
}
