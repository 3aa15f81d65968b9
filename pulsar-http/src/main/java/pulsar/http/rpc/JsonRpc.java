package pulsar.http.rpc;

import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;

/**
 * A JSON-RPC 2.0 endpoint: a handler for {@code POST} routes that dispatches each call to the
 * method of its name. Methods are grouped in namespaces ({@code calc.add}); batches, notifications,
 * the standard errors and a {@code functions_list} method come built in.
 * <pre>{@code
 * JsonRpc rpc = new JsonRpc()
 *         .method("ping", params -> "pong")
 *         .namespace("calc", new JsonRpc().method("add", p -> p.get(0).asDouble() + p.get(1).asDouble()));
 * router.post("/", rpc);
 * }</pre>
 */
public final class JsonRpc implements HttpHandler {
    @Override
    public HttpResponse handle(HttpRequest request) {
        throw new UnsupportedOperationException("JSON-RPC is built in the next commit");
    }
}
