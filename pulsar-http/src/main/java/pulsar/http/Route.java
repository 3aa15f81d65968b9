package pulsar.http;

/**
 * A route added to a {@link Router}: a method, a path pattern and its handler. Returned by
 * {@link Router#get} and the like, so that the route can be refined before the server starts.
 */
public interface Route {
    /** The method ({@code GET}), or {@code *} for every method. */
    String method();

    /** The path pattern ({@code /users/{id}}). */
    String path();

    /**
     * Marks the handler blocking: it runs on a virtual thread, not on the worker's loop, so it
     * may wait on I/O or locks (the JVM's answer to pulsar's greenio). At most
     * {@code max_blocking} such calls run at once per worker; more wait for their turn.
     *
     * @return this route
     */
    Route blocking();

    /** Whether {@link #blocking()} was called. */
    boolean isBlocking();
}
