package pulsar.queue.impl;

import java.net.URI;
import pulsar.Pulsar;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackendProvider;

/**
 * {@code embedded:}: the shared embedded backend in the JVM whose arbiter runs (or that has no
 * arbiter running and no actor: a plain program); from an actor of a child JVM, the same queue
 * through the arbiter's mailbox.
 */
public final class EmbeddedProvider implements QueueBackendProvider {
    /** For the service loader. */
    public EmbeddedProvider() {
    }

    @Override
    public String scheme() {
        return "embedded";
    }

    @Override
    public QueueBackend open(URI url) {
        if (!Pulsar.arbiter().isRunning() && Pulsar.getActor() != null) {
            return new MailboxBackend("arbiter");
        }
        return QueueRuntime.local();
    }
}
