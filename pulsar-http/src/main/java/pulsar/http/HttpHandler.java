package pulsar.http;

/**
 * Turns a request into a response. Runs on the worker's event loop, so it must not block: a
 * handler that waits on something returns {@link HttpResponse#async} of a stage, and a route
 * that must block is marked {@link Route#blocking()} (it then runs on a virtual thread).
 * An exception becomes a 500 response (an {@link HttpException} its own status); the
 * connection stays usable.
 */
@FunctionalInterface
public interface HttpHandler {
    /** The response to {@code request}. */
    HttpResponse handle(HttpRequest request) throws Exception;
}
