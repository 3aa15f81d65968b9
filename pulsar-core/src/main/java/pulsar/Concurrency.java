package pulsar;

/** How a spawned actor runs: on a thread of this JVM or in a child JVM of its own. */
public enum Concurrency {
    /** A thread of the spawning JVM, with its own event loop and mailbox. */
    THREAD,
    /** A child JVM (the default kind): crash, GC and memory isolation. */
    PROCESS;

    /** The lower-case name used in {@code info}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
