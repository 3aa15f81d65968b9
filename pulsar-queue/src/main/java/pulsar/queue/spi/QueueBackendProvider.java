package pulsar.queue.spi;

import java.net.URI;

/**
 * Opens queue backends for one URL scheme. Implementations are services
 * ({@code provides pulsar.queue.spi.QueueBackendProvider with ...} and
 * {@code META-INF/services}) with a public no-argument constructor.
 */
public interface QueueBackendProvider {
    /** The URL scheme this provider opens, e.g. {@code redis}. */
    String scheme();

    /**
     * Opens a backend.
     *
     * @param url the queue URL, e.g. {@code redis://127.0.0.1:6379/0}
     * @throws IllegalArgumentException if the URL is not valid for this backend
     */
    QueueBackend open(URI url);
}
