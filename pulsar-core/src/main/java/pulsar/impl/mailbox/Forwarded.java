package pulsar.impl.mailbox;

/**
 * An {@link pulsar.ActorProxy} whose address is the mailbox of the actor's host (the arbiter of
 * a co-located actor), not the actor's own: from another JVM the {@link Dispatcher} sends it
 * {@code actor AID COMMAND ARGS...} there, which the host forwards in its JVM.
 */
public interface Forwarded {
}
