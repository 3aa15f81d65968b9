package pulsar.queue.impl;

import java.net.URI;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackendProvider;

/**
 * {@code arbiter:} (or {@code arbiter://host:port}): the embedded queue through the mailbox of
 * this JVM's arbiter (or of the arbiter at that address, with this JVM's secret), even from the
 * arbiter's own JVM.
 */
public final class ArbiterProvider implements QueueBackendProvider {
    /** For the service loader. */
    public ArbiterProvider() {
    }

    @Override
    public String scheme() {
        return "arbiter";
    }

    @Override
    public QueueBackend open(URI url) {
        if (url.getHost() != null && url.getPort() > 0) {
            return new MailboxBackend(url.getHost() + ":" + url.getPort());
        }
        if (url.getRawAuthority() != null) {
            throw new IllegalArgumentException("queue URL '" + url + "': give arbiter: or arbiter://host:port");
        }
        return new MailboxBackend("arbiter");
    }
}
