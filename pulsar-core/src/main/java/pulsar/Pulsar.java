package pulsar;

import java.util.concurrent.CompletableFuture;
import pulsar.impl.actor.ArbiterImpl;
import pulsar.impl.actor.Dispatcher;
import pulsar.impl.command.Commands;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.mailbox.Secrets;

/**
 * The entry point: the arbiter, the current actor, {@code spawn} and {@code send}.
 * <pre>{@code
 * Pulsar.arbiter().start().join();
 * ActorProxy worker = Pulsar.spawn(Spawn.thread().name("worker")).join();
 * Object pong = Pulsar.send(worker, "ping").join();   // "PONG"
 * Pulsar.arbiter().stop().join();
 * }</pre>
 */
public final class Pulsar {
    private Pulsar() {
    }

    /** This JVM's arbiter (not started until {@link Arbiter#start()} or {@link Arbiter#run()}). */
    public static Arbiter arbiter() {
        return ArbiterImpl.instance();
    }

    /** The actor whose event loop runs the calling thread, or {@code null} outside every actor. */
    public static Actor getActor() {
        return LoopThreads.currentActor();
    }

    /**
     * Spawns an actor. From the arbiter's JVM the arbiter spawns it directly; from inside
     * another actor the request goes to the arbiter ({@code spawn} command), which replies once
     * the new actor's handshake is done.
     *
     * @return its {@link ActorProxyFuture#aid()} at once; completes with the proxy after the
     *     handshake and {@code onStart}, or fails with the cause
     */
    public static ActorProxyFuture spawn(Spawn spec) {
        java.util.Objects.requireNonNull(spec, "spec");
        Actor current = getActor();
        ArbiterImpl arbiter = ArbiterImpl.instance();
        if (current == null || current.isArbiter()) {
            return arbiter.spawn(spec);
        }
        Spawn withAid = spec.aid() != null ? spec : spec.aid(ArbiterImpl.newAid());
        ActorProxyFuture future = new ActorProxyFuture(withAid.aid());
        send("arbiter", "spawn", withAid).whenComplete((proxy, e) -> {
            if (e != null) {
                future.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                future.complete((ActorProxy) proxy);
            }
        });
        return future;
    }

    /** Spawns a process actor, the default kind. */
    public static ActorProxyFuture spawn() {
        return spawn(Spawn.process());
    }

    /**
     * Sends {@code command} with {@code args} to {@code target}: an aid, {@code "arbiter"}, an
     * {@link ActorProxy}, an {@link java.net.InetSocketAddress} or {@code "host:port"}. Strings,
     * numbers, booleans, null, lists and maps travel as RESP values (integers come back as
     * {@code Long}); other objects must be {@link java.io.Serializable}. A target in this JVM
     * is reached without the socket, with the same results and errors.
     *
     * @return completes with the reply (on the caller's loop when called from an actor), or
     *     fails with a {@link PulsarException}; an argument that cannot be sent fails it with an
     *     {@link IllegalArgumentException}
     */
    public static CompletableFuture<Object> send(Object target, String command, Object... args) {
        return Dispatcher.send(target, command, args);
    }

    /** Runs {@code function} on {@code target}'s loop: the {@code run} command. */
    public static CompletableFuture<Object> run(Object target, ActorFunction<?> function, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = function;
        System.arraycopy(args, 0, all, 1, args.length);
        return send(target, "run", all);
    }

    /**
     * Registers the {@link Command} methods of {@code type} in this JVM now, rather than when
     * the class path is first scanned for an unknown command.
     *
     * @return how many commands were registered
     */
    public static int registerCommands(Class<?> type) {
        return Commands.registerAnnotated(type);
    }

    /**
     * The mailbox secret of these settings (read from, or created in, the secret file): what a
     * client such as {@code redis-cli -a} needs to talk to a mailbox.
     */
    public static String secret(Settings settings) {
        return Secrets.load(settings);
    }

    /**
     * The mailbox secret file of these settings: {@link Settings#secretFile()} when set, else
     * {@code $PULSAR_SECRET_FILE}, else {@code ~/.pulsar/secret}. Only resolves the path: the
     * file is created by {@link #secret(Settings)}, not here.
     */
    public static java.nio.file.Path secretFile(Settings settings) {
        return Secrets.path(settings);
    }
}
