package pulsar;

/**
 * The life cycle of an {@link Actor}: {@code INITIAL → STARTING → RUNNING → STOPPING → STOPPED},
 * or {@code STARTING → FAILED → STOPPING → STOPPED} when the start fails.
 * An actor reports its state in {@code info} and to its manager with every {@code notify}.
 */
public enum ActorState {
    /** Created; its event loop has not started yet. */
    INITIAL,
    /** The loop runs; the mailbox is open; the handshake or {@code onStart} is under way. */
    STARTING,
    /** Handshake done and {@code onStart} completed: the actor serves commands. */
    RUNNING,
    /** The handshake or {@code onStart} failed: the spawn fails and the actor stops next. */
    FAILED,
    /** {@code onStop} is running and the mailbox is closing. */
    STOPPING,
    /** The loop has ended. A stopped actor never runs again. */
    STOPPED;

    /** The lower-case name used on the wire and in {@code info}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The state of a wire name such as {@code running}. */
    public static ActorState ofWireName(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("actor state: '" + name + "' is not one of initial, starting, running, failed, stopping, stopped");
        }
    }
}
