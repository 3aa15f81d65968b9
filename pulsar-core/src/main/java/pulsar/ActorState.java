package pulsar;

/**
 * The life cycle of an {@link Actor}: {@code INITIAL → STARTING → RUNNING → STOPPING → STOPPED}.
 * An actor reports its state in {@code info} and to its manager with every {@code notify}.
 */
public enum ActorState {
    /** Created; its event loop has not started yet. */
    INITIAL,
    /** The loop runs; the mailbox is open; the handshake or {@code onStart} is under way. */
    STARTING,
    /** Handshake done and {@code onStart} completed: the actor serves commands. */
    RUNNING,
    /** {@code onStop} is running and the mailbox is closing. */
    STOPPING,
    /** The loop has ended. A stopped actor never runs again. */
    STOPPED;

    /** The lower-case name used on the wire and in {@code info}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
