package pulsar.impl.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.Concurrency;
import pulsar.Spawn;
import pulsar.impl.actor.ActorServices;
import pulsar.impl.app.Monitors;
import pulsar.impl.arbiter.ArbiterImpl;
import pulsar.impl.command.CommandRegistry;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.mailbox.Dispatcher;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.supervise.ProcessLauncher;
import pulsar.impl.supervise.ThreadLauncher;

/**
 * Everything a JVM holds once: the command registry, the dispatcher (with its connection
 * pool), the launchers and the arbiter. The one JVM-wide static of the implementation; the
 * parts below it get what they need through their constructors.
 */
public final class PulsarRuntime {
    private static final PulsarRuntime INSTANCE = new PulsarRuntime();

    private final CommandRegistry commands = new CommandRegistry();
    private final Dispatcher dispatcher;
    private final ActorServices services;
    private final ArbiterImpl arbiter;

    private PulsarRuntime() {
        ArbiterImpl[] self = new ArbiterImpl[1];
        dispatcher = new Dispatcher(() -> self[0].clientConfig());
        services = new ActorServices(dispatcher, commands);
        arbiter = new ArbiterImpl(services, Map.of(
                Concurrency.THREAD, new ThreadLauncher(services),
                Concurrency.PROCESS, new ProcessLauncher(dispatcher, ChildMain.class.getName())));
        self[0] = arbiter;
        arbiter.host(new Monitors(arbiter, System::nanoTime));
    }

    /** This JVM's runtime. */
    public static PulsarRuntime get() {
        return INSTANCE;
    }

    /** This JVM's arbiter. */
    public ArbiterImpl arbiter() {
        return arbiter;
    }

    /** This JVM's dispatcher. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The commands of this JVM's actors. */
    public CommandRegistry commands() {
        return commands;
    }

    /** What this JVM's actors share. */
    public ActorServices services() {
        return services;
    }

    /**
     * A spawn under way: the aid at once, the proxy later.
     *
     * @param aid the spawned actor's id
     * @param proxy completes with its proxy, or fails with the cause itself (never wrapped)
     */
    public record Spawning(String aid, CompletableFuture<ActorProxy> proxy) {
    }

    /**
     * Spawns an actor: directly from the arbiter's JVM outside other actors, else through the
     * arbiter's {@code spawn} command.
     */
    public Spawning spawn(Spawn spec) {
        java.util.Objects.requireNonNull(spec, "spec");
        String aid = spec.aid() != null ? spec.aid() : ArbiterImpl.newAid();
        Actor current = LoopThreads.currentActor();
        if (current == null || current.isArbiter()) {
            return new Spawning(aid, arbiter.spawn(aid, spec));
        }
        CompletableFuture<ActorProxy> proxy = new CompletableFuture<>();
        dispatcher.send("arbiter", "spawn", spec.aid(aid)).whenComplete((p, e) -> {
            if (e != null) {
                proxy.completeExceptionally(Failures.unwrap(e));
            } else {
                proxy.complete((ActorProxy) p);
            }
        });
        return new Spawning(aid, proxy);
    }
}
