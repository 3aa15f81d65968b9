package pulsar.http;

/**
 * Runs around the handlers of a router (middleware): before a handler (check, reject, decorate
 * the request's attributes), after it (headers on the response, through
 * {@link HttpResponse#then}), or instead of it (return without calling {@code next}).
 * Filters run in the order they were added, the first outermost.
 */
@FunctionalInterface
public interface HttpFilter {
    /** The response to {@code request}; {@code next.handle(request)} runs the rest of the chain. */
    HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception;
}
