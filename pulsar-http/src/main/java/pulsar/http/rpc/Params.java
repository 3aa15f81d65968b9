package pulsar.http.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import pulsar.http.HttpRequest;
import pulsar.http.impl.Json;

/** The params of one call, checked against the method's declared names (when it has them). */
final class Params implements RpcParams {
    private final JsonNode node;
    private final List<String> names; // declared names without their '?', or null: any params
    private final HttpRequest request;

    /**
     * @param declared the method's declared params ({@code name} or {@code name?} when optional), or null
     * @throws RpcException -32602 when the params do not fit the declared ones
     */
    Params(String method, JsonNode node, List<String> declared, HttpRequest request) {
        this.node = node;
        this.request = request;
        if (declared == null) {
            this.names = null;
            return;
        }
        this.names = declared.stream().map(Params::bare).toList();
        String takes = method + " takes " + (names.isEmpty() ? "no params" : String.join(", ", declared));
        if (node.isArray() && node.size() > names.size()) {
            throw RpcException.invalidParams(takes + "; " + node.size() + " given");
        }
        if (node.isObject()) {
            for (Iterator<String> i = node.fieldNames(); i.hasNext();) {
                String given = i.next();
                if (!names.contains(given)) {
                    throw RpcException.invalidParams(takes + "; unknown param '" + given + "'");
                }
            }
        }
        for (String d : declared) {
            if (!d.endsWith("?") && !has(d)) {
                throw RpcException.invalidParams(takes + "; missing param '" + d + "'");
            }
        }
    }

    /** {@code name} without the {@code ?} that marks it optional. */
    static String bare(String declared) {
        return declared.endsWith("?") ? declared.substring(0, declared.length() - 1) : declared;
    }

    @Override
    public JsonNode node() {
        return node;
    }

    @Override
    public int size() {
        return node.size();
    }

    @Override
    public boolean has(String name) {
        return get(name) != null;
    }

    @Override
    public JsonNode get(String name) {
        if (node.isObject()) {
            return node.get(name);
        }
        int index = names == null ? -1 : names.indexOf(name);
        return index < 0 ? null : node.get(index);
    }

    @Override
    public JsonNode get(int index) {
        if (node.isArray()) {
            return node.get(index);
        }
        return names != null && index >= 0 && index < names.size() ? node.get(names.get(index)) : null;
    }

    private JsonNode require(String name) {
        JsonNode v = get(name);
        if (v == null) {
            throw RpcException.invalidParams("missing param '" + name + "'");
        }
        return v;
    }

    private static RpcException wrongType(String name, String type, JsonNode v) {
        return RpcException.invalidParams("param '" + name + "' must be " + type + ", not " + v);
    }

    @Override
    public double number(String name) {
        JsonNode v = require(name);
        if (!v.isNumber()) {
            throw wrongType(name, "a number", v);
        }
        return v.asDouble();
    }

    @Override
    public long integer(String name) {
        JsonNode v = require(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "an integer", v);
        }
        return v.asLong();
    }

    @Override
    public String text(String name) {
        JsonNode v = require(name);
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.asText();
    }

    @Override
    public boolean bool(String name) {
        JsonNode v = require(name);
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.asBoolean();
    }

    @Override
    public <T> T as(String name, Class<T> type) {
        JsonNode v = require(name);
        try {
            return Json.mapper().treeToValue(v, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw RpcException.invalidParams("param '" + name + "' is not a " + type.getSimpleName() + ": " + why);
        }
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
