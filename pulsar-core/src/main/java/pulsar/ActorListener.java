package pulsar;

/**
 * Hears about the actors an {@link Arbiter} supervises: their state changes and their exits.
 * Register with {@link Arbiter#watch(ActorListener)}. Callbacks run on the arbiter's loop, in
 * order, and must not block it; one that throws is logged and the others still run.
 */
public interface ActorListener {
    /**
     * Actor {@code aid} reported a new state (with its handshake, a heartbeat, or a failure).
     *
     * @param aid the actor id
     * @param state its new state
     */
    default void stateChanged(String aid, ActorState state) {
    }

    /**
     * An actor has ended: its thread or process is gone and the arbiter no longer supervises it.
     *
     * @param exit how it ended
     */
    default void exited(ActorExit exit) {
    }
}
