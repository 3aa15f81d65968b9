package pulsar.http.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import pulsar.http.HttpFilter;
import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;
import pulsar.http.Route;
import pulsar.http.Router;
import pulsar.http.WebSocketHandler;

/**
 * The router of one worker: routes in the order they were added, filters around them. Built by
 * {@link pulsar.http.HttpServerApplication#routes} before the worker serves, then only read (on
 * the worker's loop).
 */
public final class Routes implements Router {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    /** The request attribute under which a WebSocket route leaves its handler for the server. */
    static final String WEBSOCKET = "pulsar.http.websocket";

    private final List<RouteImpl> routes = new ArrayList<>();
    private final List<HttpFilter> filters = new ArrayList<>();

    /** An empty router. */
    public Routes() {
    }

    @Override
    public Route route(String method, String path, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        if (!m.equals("*") && !TOKEN.matcher(m).matches()) {
            throw new IllegalArgumentException("route method '" + method + "' is not an HTTP token");
        }
        RouteImpl r = new RouteImpl(m, PathPattern.parse(path), handler, null);
        routes.add(r);
        return r;
    }

    @Override
    public Route websocket(String path, WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        RouteImpl r = new RouteImpl("GET", PathPattern.parse(path), request -> {
            request.attribute(WEBSOCKET, handler);
            return HttpResponse.status(101);
        }, handler);
        routes.add(r);
        return r;
    }

    @Override
    public Route files(String prefix, Path directory) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return route("GET", p + "/{path...}", new StaticFiles(directory));
    }

    @Override
    public Router filter(HttpFilter filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    @Override
    public Router cors(String... origins) {
        filters.add(0, new Cors(Set.of(origins), this));
        return this;
    }

    /** The response to {@code request}, through the filters; may be {@linkplain HttpResponse#async async}. */
    HttpResponse dispatch(RequestView request) throws Exception {
        return chain(0).handle(request);
    }

    private HttpHandler chain(int i) {
        if (i == filters.size()) {
            return request -> route((RequestView) request);
        }
        HttpFilter f = filters.get(i);
        HttpHandler next = chain(i + 1);
        return request -> f.filter(request, next);
    }

    /** The route's response: its handler's, or 404, 405, or the answer to OPTIONS. */
    private HttpResponse route(RequestView request) throws Exception {
        String method = request.method();
        RouteImpl found = null;
        RouteImpl viaGet = null;
        for (RouteImpl r : routes) {
            var params = r.pattern.match(request.rawSegments());
            if (params == null) {
                continue;
            }
            if (r.method.equals(method) || r.method.equals("*")) {
                request.pathParams(params);
                found = r;
                break;
            }
            if (method.equals("HEAD") && r.method.equals("GET") && r.websocket == null && viaGet == null) {
                viaGet = r;
                request.pathParams(params);
            }
        }
        if (found == null) {
            found = viaGet;
        }
        if (found != null) {
            return found.call(request);
        }
        Set<String> allowed = allowed(request);
        if (allowed.isEmpty()) {
            return HttpResponse.text(404, "Not Found");
        }
        if (method.equals("OPTIONS") && allowed.contains("OPTIONS")) {
            return HttpResponse.status(204).header("Allow", String.join(", ", allowed));
        }
        return HttpResponse.text(405, "Method Not Allowed").header("Allow", String.join(", ", allowed));
    }

    /**
     * The methods some route takes at the request's path (with HEAD for GET, and OPTIONS); empty
     * when none matches. A WebSocket route takes GET only: a path with nothing else allows GET
     * alone, and a non-GET request there (HEAD and OPTIONS too) is answered 405 {@code Allow: GET}.
     */
    Set<String> allowed(RequestView request) {
        Set<String> allowed = new TreeSet<>();
        boolean plain = false; // some route that is not a WebSocket matches
        boolean plainGet = false;
        for (RouteImpl r : routes) {
            if (r.pattern.match(request.rawSegments()) != null) {
                if (r.websocket != null) {
                    allowed.add("GET");
                    continue;
                }
                plain = true;
                if (r.method.equals("*")) {
                    allowed.addAll(List.of("DELETE", "GET", "PATCH", "POST", "PUT"));
                    plainGet = true;
                } else {
                    allowed.add(r.method);
                    plainGet |= r.method.equals("GET");
                }
            }
        }
        if (plainGet) {
            allowed.add("HEAD");
        }
        if (plain) {
            allowed.add("OPTIONS");
        }
        return allowed;
    }

    /** One route; {@code websocket} is set for a WebSocket route. */
    static final class RouteImpl implements Route {
        final String method;
        final PathPattern pattern;
        final HttpHandler handler;
        final WebSocketHandler websocket;
        private volatile boolean blocking;

        RouteImpl(String method, PathPattern pattern, HttpHandler handler, WebSocketHandler websocket) {
            this.method = method;
            this.pattern = pattern;
            this.handler = handler;
            this.websocket = websocket;
        }

        HttpResponse call(HttpRequest request) throws Exception {
            return blocking ? ((RequestView) request).server().blocking(handler, request) : handler.handle(request);
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return pattern.text();
        }

        @Override
        public Route blocking() {
            if (websocket != null) {
                throw new IllegalStateException("a WebSocket route cannot be blocking: its handler runs on the loop");
            }
            blocking = true;
            return this;
        }

        @Override
        public boolean isBlocking() {
            return blocking;
        }

        @Override
        public String toString() {
            return method + " " + pattern.text() + (blocking ? " (blocking)" : "");
        }
    }
}
