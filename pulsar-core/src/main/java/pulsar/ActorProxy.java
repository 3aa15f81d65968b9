package pulsar;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A lightweight, serializable handle on a remote actor: its aid, name and mailbox address.
 * Sending through it is the same as {@link Pulsar#send(Object, String, Object...)}.
 */
public interface ActorProxy {
    /** The actor id. */
    String aid();

    /** The actor name. */
    String name();

    /** The actor's mailbox address. */
    InetSocketAddress address();

    /**
     * Sends a command; the same as {@link Pulsar#send(Object, String, Object...)} with this proxy.
     *
     * @return completes with the reply, or fails with a {@link PulsarException}
     */
    default CompletableFuture<Object> send(String command, Object... args) {
        return Pulsar.send(this, command, args);
    }

    /** Runs {@code function} on the actor's loop: the {@code run} command. */
    default CompletableFuture<Object> run(ActorFunction<?> function, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = function;
        System.arraycopy(args, 0, all, 1, args.length);
        return send("run", all);
    }
}
