package pulsar.impl.mailbox;

import java.net.InetSocketAddress;
import pulsar.EventLoop;

/** An actor of this JVM as the {@link Dispatcher} sees it: a target reached without the socket. */
public interface LocalMailbox extends CommandExecutor {
    /** The actor id. */
    String aid();

    /** The open mailbox's address, or {@code null}. */
    InetSocketAddress address();

    /** The loop commands run on: the actor's I/O loop. */
    EventLoop ioLoop();

    /** The codec and limits of the actor's mailbox, which the in-JVM path copies values with. */
    MailboxConfig mailboxConfig();

    /**
     * Whether the actor has no mailbox server of its own (a co-located actor): its
     * {@link #address()} is its host's mailbox, which forwards to it by aid.
     */
    default boolean hosted() {
        return false;
    }
}
