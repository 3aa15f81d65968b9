package pulsar.http.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;
import pulsar.http.impl.Json;

/**
 * A JSON-RPC 2.0 endpoint: a handler for {@code POST} routes that dispatches each call to the
 * method of its name. Methods are grouped in namespaces ({@code calc.add}); positional and named
 * params, batches, notifications, the standard errors and a {@code functions_list} method come
 * built in.
 * <pre>{@code
 * JsonRpc rpc = new JsonRpc()
 *         .method("ping", "Ping the server", List.of(), params -> "pong")
 *         .namespace("calc", new JsonRpc()
 *                 .method("add", "Add two numbers", List.of("a", "b"), p -> p.number("a") + p.number("b")));
 * router.post("/", rpc);
 * }</pre>
 *
 * <p>Every answer is {@code 200 application/json} (errors included, as the spec has them), except
 * a request made only of notifications, answered {@code 204} with no body; a method other than
 * {@code POST} gets {@code 405}. The calls of a batch run at once and are answered in their
 * order. Build the endpoint before the server serves (in {@code routes}); then it is only read,
 * from any thread.
 */
public final class JsonRpc implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpc.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The built-in method of every endpoint, unless it adds its own of that name. */
    public static final String FUNCTIONS_LIST = "functions_list";

    private record Method(String doc, List<String> params, RpcMethod body) {
    }

    private final Map<String, Method> methods = new TreeMap<>();
    private final Map<String, JsonRpc> namespaces = new TreeMap<>();

    /** An endpoint with no method yet but {@code functions_list}. */
    public JsonRpc() {
    }

    /**
     * Adds method {@code name} that takes whatever params a call gives ({@link RpcParams#get(int)},
     * {@link RpcParams#get(String)}).
     *
     * @return this endpoint
     * @throws IllegalArgumentException when the name is not an identifier or is taken
     */
    public JsonRpc method(String name, String doc, RpcMethod method) {
        return add(name, doc, null, method);
    }

    /**
     * Adds method {@code name} with declared {@code params}: a call may give them by position or
     * by name; a name ending in {@code ?} is optional (read as the name without it). A call with
     * more params, unknown names or a required one missing is answered {@code -32602 Invalid
     * params} before the method runs.
     *
     * @param doc what the method does, for {@code functions_list}
     * @return this endpoint
     * @throws IllegalArgumentException when a name is not an identifier or is taken
     */
    public JsonRpc method(String name, String doc, List<String> params, RpcMethod method) {
        List<String> declared = List.copyOf(params);
        for (String p : declared) {
            if (!NAME.matcher(Params.bare(p)).matches()) {
                throw new IllegalArgumentException("JSON-RPC method " + name + ": param '" + p + "' is not an identifier");
            }
        }
        if (declared.stream().map(Params::bare).distinct().count() != declared.size()) {
            throw new IllegalArgumentException("JSON-RPC method " + name + ": a param is declared twice in " + declared);
        }
        return add(name, doc, declared, method);
    }

    private JsonRpc add(String name, String doc, List<String> params, RpcMethod method) {
        checkName("method", name);
        Objects.requireNonNull(method, "method");
        methods.put(name, new Method(doc == null || doc.isBlank() ? "No docs" : doc, params, method));
        return this;
    }

    /**
     * Serves the methods of {@code methods} as {@code name.method} (and its namespaces as
     * {@code name.sub.method}).
     *
     * @return this endpoint
     * @throws IllegalArgumentException when the name is not an identifier or is taken
     */
    public JsonRpc namespace(String name, JsonRpc methods) {
        checkName("namespace", name);
        if (methods == this) {
            throw new IllegalArgumentException("JSON-RPC namespace " + name + " cannot be its own endpoint");
        }
        namespaces.put(name, Objects.requireNonNull(methods, "methods"));
        return this;
    }

    private void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals("rpc")) {
            throw new IllegalArgumentException("JSON-RPC " + what + " name '" + name + "' must match " + NAME.pattern()
                    + " and not be 'rpc' (reserved by the spec)");
        }
        if (methods.containsKey(name) || namespaces.containsKey(name)) {
            throw new IllegalArgumentException("JSON-RPC " + what + " name '" + name + "' is taken");
        }
    }

    /**
     * What {@code functions_list} answers: each method, namespaced ones included, by full name,
     * as {@code {"name": "calc.add", "doc": "Add two numbers", "params": ["a", "b"]}}
     * ({@code params} is {@code null} for a method that takes any).
     */
    public List<Map<String, Object>> functions() {
        List<Map<String, Object>> list = new ArrayList<>();
        if (!methods.containsKey(FUNCTIONS_LIST)) {
            list.add(function(FUNCTIONS_LIST, new Method("The methods of this endpoint: name, doc and params of each", List.of(), null)));
        }
        list(list, "");
        list.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
        return list;
    }

    private void list(List<Map<String, Object>> into, String prefix) {
        methods.forEach((name, m) -> into.add(function(prefix + name, m)));
        namespaces.forEach((name, rpc) -> rpc.list(into, prefix + name + "."));
    }

    private static Map<String, Object> function(String name, Method m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("doc", m.doc());
        f.put("params", m.params());
        return f;
    }

    /** The method {@code name} ({@code a.b.c} through namespaces), or {@code null}. */
    private Method find(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return methods.get(name);
        }
        JsonRpc ns = namespaces.get(name.substring(0, dot));
        return ns == null ? null : ns.find(name.substring(dot + 1));
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!request.method().equals("POST")) {
            return HttpResponse.text(405, "JSON-RPC takes POST\n").header("Allow", "POST");
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(request.body());
        } catch (JsonProcessingException e) {
            return reply(error(NullNode.instance, RpcException.PARSE_ERROR, e.getOriginalMessage()));
        } catch (IOException e) {
            return reply(error(NullNode.instance, RpcException.PARSE_ERROR, e.getMessage()));
        }
        if (body == null || body.isMissingNode()) {
            return reply(error(NullNode.instance, RpcException.PARSE_ERROR, "the body is empty"));
        }
        if (!body.isArray()) {
            CompletableFuture<ObjectNode> answer = call(body, request);
            return answer.isDone() ? reply(answer.join()) : HttpResponse.async(answer.thenApply(JsonRpc::reply));
        }
        if (body.isEmpty()) {
            return reply(error(NullNode.instance, RpcException.INVALID_REQUEST, "the batch is empty"));
        }
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>(body.size());
        body.forEach(call -> answers.add(call(call, request)));
        CompletableFuture<HttpResponse> all = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    ArrayNode batch = NODES.arrayNode();
                    answers.forEach(a -> {
                        if (a.join() != null) {
                            batch.add(a.join());
                        }
                    });
                    return reply(batch.isEmpty() ? null : batch);
                });
        return all.isDone() ? all.join() : HttpResponse.async(all);
    }

    private static HttpResponse reply(JsonNode answer) {
        return answer == null ? HttpResponse.status(204) : HttpResponse.bytes(200, "application/json", Json.write(answer));
    }

    /** The answer to one call: completes with {@code null} for a notification. Never fails. */
    private CompletableFuture<ObjectNode> call(JsonNode call, HttpRequest request) {
        if (!call.isObject()) {
            return done(error(NullNode.instance, RpcException.INVALID_REQUEST, "a call is a JSON object, not " + call));
        }
        JsonNode id = call.get("id");
        if (id != null && !id.isTextual() && !id.isNumber() && !id.isNull()) {
            return done(error(NullNode.instance, RpcException.INVALID_REQUEST, "id must be a string, a number or null"));
        }
        boolean notification = id == null;
        JsonNode replyId = notification ? NullNode.instance : id;
        JsonNode version = call.get("jsonrpc");
        JsonNode name = call.get("method");
        JsonNode params = call.get("params");
        if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
            return done(error(replyId, RpcException.INVALID_REQUEST, "jsonrpc must be \"2.0\""));
        }
        if (name == null || !name.isTextual()) {
            return done(error(replyId, RpcException.INVALID_REQUEST, "method must be a string"));
        }
        if (params != null && !params.isArray() && !params.isObject()) {
            return done(error(replyId, RpcException.INVALID_REQUEST, "params must be an array or an object"));
        }
        CompletableFuture<ObjectNode> answer;
        try {
            Object result = invoke(name.asText(), params == null ? NODES.arrayNode() : params, request);
            answer = result instanceof CompletionStage<?> stage
                    ? stage.toCompletableFuture().handle((r, e) -> e == null ? result(replyId, r) : failure(replyId, name.asText(), e))
                    : done(result(replyId, result));
        } catch (Exception | LinkageError e) {
            answer = done(failure(replyId, name.asText(), e));
        }
        return notification ? answer.thenApply(a -> null) : answer;
    }

    private Object invoke(String name, JsonNode params, HttpRequest request) throws Exception {
        Method m = find(name);
        if (m == null && name.equals(FUNCTIONS_LIST)) {
            new Params(name, params, List.of(), request);
            return functions();
        }
        if (m == null) {
            throw new RpcException(RpcException.METHOD_NOT_FOUND, "Method not found", "no method '" + name + "'");
        }
        return m.body().call(new Params(name, params, m.params(), request));
    }

    private static ObjectNode result(JsonNode id, Object value) {
        JsonNode json;
        try {
            json = Json.mapper().valueToTree(value);
        } catch (IllegalArgumentException e) {
            return error(id, RpcException.INTERNAL_ERROR, "the result is not JSON: " + e.getMessage());
        }
        ObjectNode answer = NODES.objectNode().put("jsonrpc", "2.0");
        answer.set("result", json == null ? NullNode.instance : json);
        answer.set("id", id);
        return answer;
    }

    private static ObjectNode failure(JsonNode id, String method, Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RpcException rpc) {
            ObjectNode answer = error(id, rpc.code(), null);
            ((ObjectNode) answer.get("error")).put("message", rpc.getMessage());
            if (rpc.data() != null) {
                try {
                    ((ObjectNode) answer.get("error")).set("data", Json.mapper().valueToTree(rpc.data()));
                } catch (IllegalArgumentException notJson) {
                    ((ObjectNode) answer.get("error")).put("data", String.valueOf(rpc.data()));
                }
            }
            return answer;
        }
        if (t instanceof IllegalArgumentException) {
            return error(id, RpcException.INVALID_PARAMS, t.getMessage());
        }
        LOG.warn("JSON-RPC method {} failed", method, t);
        return error(id, RpcException.INTERNAL_ERROR, t.toString());
    }

    private static ObjectNode error(JsonNode id, int code, String data) {
        ObjectNode error = NODES.objectNode().put("code", code).put("message", RpcException.standardMessage(code));
        if (data != null) {
            error.put("data", data);
        }
        ObjectNode answer = NODES.objectNode().put("jsonrpc", "2.0");
        answer.set("error", error);
        answer.set("id", id);
        return answer;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
