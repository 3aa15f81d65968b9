package pulsar;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An actor as seen from code running inside it: hooks, commands, {@code run} functions and
 * callbacks scheduled on its loop receive it, and {@link Pulsar#getActor()} returns it on its
 * loop thread. Actors share no state: talk to other actors with {@link Pulsar#send}.
 */
public interface Actor {
    /** The actor id, unique among the arbiter's live actors; {@code "arbiter"} for the arbiter. */
    String aid();

    /** The name given at spawn, or the kind's default name. */
    String name();

    /** Thread or process. */
    Concurrency concurrency();

    /** Where the actor is in its life cycle. */
    ActorState state();

    /** Whether this is the arbiter. */
    boolean isArbiter();

    /**
     * The actor's event loop: its hooks, commands and callbacks run here. For a CPU-bound actor
     * ({@link Spawn#cpuBound()}) it is the request loop, which may block; hooks and commands
     * then run on {@link #ioLoop()}.
     */
    EventLoop loop();

    /**
     * The loop serving the mailbox, commands, hooks and notifies; the same as {@link #loop()}
     * for I/O-bound actors, a second thread for CPU-bound ones.
     */
    EventLoop ioLoop();

    /** Whether this is a CPU-bound actor, whose {@link #loop()} may block. */
    default boolean isCpuBound() {
        return loop() != ioLoop();
    }

    /** The mailbox address, or {@code null} before the mailbox is open. */
    InetSocketAddress address();

    /**
     * The settings this actor runs with: the arbiter's, with the overrides given at spawn
     * ({@link Spawn#setting(String, Object)}) and any {@code config set} since.
     */
    Settings settings();

    /** The parameters given with {@link Spawn#param(String, Object)}. */
    Map<String, Object> params();

    /** A snapshot of what the {@code info} command returns. Call it on the actor's loop. */
    Map<String, Object> info();

    /**
     * Stops the actor: runs {@code onStop} once, closes the mailbox, ends the loop.
     *
     * @return completes when the actor's loop has ended
     */
    CompletableFuture<Void> stop();
}
