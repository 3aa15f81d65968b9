package pulsar.http.impl;

import java.util.Set;
import pulsar.http.HttpFilter;
import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;

/**
 * CORS for {@link pulsar.http.Router#cors}: answers a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) from an allowed origin with 204 and the methods the path
 * takes, and adds {@code Access-Control-Allow-Origin} to the responses to allowed origins. Other
 * requests pass untouched (a browser then refuses the response to a script of another origin).
 */
final class Cors implements HttpFilter {
    private final Set<String> origins;
    private final Routes routes;

    Cors(Set<String> origins, Routes routes) {
        this.origins = origins;
        this.routes = routes;
    }

    @Override
    public HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception {
        String origin = request.header("Origin");
        boolean any = origins.contains("*");
        if (origin == null || !any && !origins.contains(origin)) {
            return next.handle(request);
        }
        String allow = any ? "*" : origin;
        if (request.method().equals("OPTIONS") && request.header("Access-Control-Request-Method") != null
                && request instanceof RequestView view) {
            Set<String> allowed = routes.allowed(view);
            if (allowed.isEmpty()) {
                return next.handle(request);
            }
            HttpResponse preflight = HttpResponse.status(204)
                    .header("Access-Control-Allow-Origin", allow)
                    .header("Access-Control-Allow-Methods", String.join(", ", allowed))
                    .header("Access-Control-Max-Age", "600");
            String headers = request.header("Access-Control-Request-Headers");
            if (headers != null) {
                preflight.header("Access-Control-Allow-Headers", headers);
            }
            return any ? preflight : preflight.header("Vary", "Origin");
        }
        return next.handle(request).then(r -> {
            r.header("Access-Control-Allow-Origin", allow);
            return any ? r : r.header("Vary", "Origin");
        });
    }
}
