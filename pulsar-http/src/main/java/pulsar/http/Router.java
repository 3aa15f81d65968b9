package pulsar.http;

import java.nio.file.Path;

/**
 * The routes of an HTTP server: each a method, a path pattern and a handler. Patterns are
 * literal segments and parameters, {@code /users/{id}/posts/{post}}, plus an optional last
 * {@code {name...}} that takes the rest of the path. The first route added that matches wins.
 * A path that no route matches gets 404; a path matched for other methods only gets 405 with
 * {@code Allow}; {@code HEAD} is served by the {@code GET} route without a body, and
 * {@code OPTIONS} answers with {@code Allow} unless a route takes it.
 */
public interface Router {
    /** Adds a route for {@code method} (any token; {@code *} for every method). */
    Route route(String method, String path, HttpHandler handler);

    /** Adds a {@code GET} route. */
    default Route get(String path, HttpHandler handler) {
        return route("GET", path, handler);
    }

    /** Adds a {@code POST} route. */
    default Route post(String path, HttpHandler handler) {
        return route("POST", path, handler);
    }

    /** Adds a {@code PUT} route. */
    default Route put(String path, HttpHandler handler) {
        return route("PUT", path, handler);
    }

    /** Adds a {@code DELETE} route. */
    default Route delete(String path, HttpHandler handler) {
        return route("DELETE", path, handler);
    }

    /** Adds a {@code PATCH} route. */
    default Route patch(String path, HttpHandler handler) {
        return route("PATCH", path, handler);
    }

    /**
     * Serves the WebSocket upgrades of {@code path} with {@code handler}: a {@code GET} with a
     * valid upgrade becomes a WebSocket; a bad key or version gets 400, another method 405.
     */
    Route websocket(String path, WebSocketHandler handler);

    /**
     * Serves the files under {@code directory} at {@code prefix} ({@code /static}): zero-copy
     * when there is no TLS, {@code Content-Type} from the name, {@code ETag} and
     * {@code If-None-Match}, {@code Last-Modified}, single {@code Range}s; never a file outside
     * {@code directory} (404).
     */
    Route files(String prefix, Path directory);

    /** Adds a filter around every route (also around 404 and 405). */
    Router filter(HttpFilter filter);

    /**
     * Adds CORS: answers preflight {@code OPTIONS} requests and adds
     * {@code Access-Control-Allow-Origin} for the {@code origins} given ({@code *} for any).
     */
    Router cors(String... origins);
}
