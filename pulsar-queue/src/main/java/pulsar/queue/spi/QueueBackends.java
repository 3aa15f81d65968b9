package pulsar.queue.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.InstantSource;
import java.util.Locale;
import java.util.ServiceLoader;
import pulsar.queue.impl.QueueRuntime;
import pulsar.queue.impl.SharedBackends;

/** Opens backends by URL and makes embedded ones. */
public final class QueueBackends {
    /** The default queue URL: the embedded queue in the arbiter's JVM. */
    public static final String DEFAULT_URL = "embedded:";

    private static final SharedBackends SHARED = new SharedBackends(QueueBackends::open);

    private QueueBackends() {
    }

    /**
     * A handle on this JVM's one backend for {@code url}, opened with {@link #open(String)} on
     * first use and shared by every caller here (an application's monitor, its thread workers, a
     * driver): one Redis client, its connections and threads, instead of one per caller. Close
     * the handle when done; the backend closes with the last one. Consumers stay apart by name
     * ({@link QueueBackend#release(String)} affects one consumer only).
     *
     * @throws IllegalArgumentException for a malformed URL or a scheme no provider serves
     */
    public static QueueBackend shared(String url) {
        return SHARED.open(url == null || url.isBlank() ? DEFAULT_URL : url.trim());
    }

    /**
     * Opens the backend of {@code url}, found by its scheme among the
     * {@link QueueBackendProvider} services: {@code embedded:} (the default) is the queue in the
     * arbiter's JVM, reached directly in that JVM and through the arbiter's mailbox from its
     * actors' JVMs; {@code arbiter:} always goes through the mailbox; {@code redis://...} comes
     * with pulsar-redis.
     *
     * @throws IllegalArgumentException for a malformed URL or a scheme no provider serves
     */
    public static QueueBackend open(String url) {
        String text = url == null || url.isBlank() ? DEFAULT_URL : url.trim();
        int colon = text.indexOf(':');
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        URI uri;
        try {
            // "embedded" and "arbiter:" name a scheme alone, which java.net.URI does not parse
            uri = new URI(rest.isEmpty() ? (colon < 0 ? text : text.substring(0, colon)) + ":/" : text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("queue URL '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        for (QueueBackendProvider p : ServiceLoader.load(QueueBackendProvider.class, QueueBackends.class.getClassLoader())) {
            if (p.scheme().equalsIgnoreCase(scheme)) {
                return p.open(uri);
            }
        }
        throw new IllegalArgumentException("queue URL '" + url + "': no queue backend serves scheme '" + scheme
                + "' (embedded and arbiter are built in; redis needs pulsar-redis on the class path)");
    }

    /**
     * A new, private embedded backend: in memory, thread-safe, bounded by {@code limits}, its
     * leases and retry times read from {@code clock}. Close it when done.
     */
    public static QueueBackend embedded(InstantSource clock, QueueLimits limits) {
        return QueueRuntime.newEmbedded(clock, limits);
    }

    /**
     * This JVM's shared embedded backend: the one the arbiter's queue commands serve and
     * {@code embedded:} opens in the arbiter's JVM. Closing it does nothing.
     */
    public static QueueBackend local() {
        return QueueRuntime.local();
    }

    /**
     * Replaces this JVM's shared embedded backend with a new one on {@code clock} and
     * {@code limits} (tasks of the old one are dropped, its waiting calls fail): to bound the
     * arbiter's queue, or to drive its time in a test. Call it before workers start.
     *
     * @return the new shared backend
     */
    public static QueueBackend resetLocal(InstantSource clock, QueueLimits limits) {
        return QueueRuntime.resetLocal(clock, limits);
    }
}
