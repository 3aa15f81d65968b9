package pulsar.http.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import pulsar.http.HttpRequest;

/**
 * The params of one JSON-RPC call, positional ({@code [3, 7]}) or named ({@code {"a": 3, "b": 7}}).
 * For a method added with param names ({@link JsonRpc#method(String, String, java.util.List, RpcMethod)})
 * both forms read alike: {@code number("a")} is the first positional param or the named one; the
 * counts and names were checked before the method runs. The typed readers answer the call with
 * {@code -32602 Invalid params} (an {@link RpcException}) when the param is absent or not of
 * their type.
 */
public interface RpcParams {
    /** The params as sent: an array or an object; an empty array when the call had none. */
    JsonNode node();

    /** How many params the call has. */
    int size();

    /** Whether param {@code name} was given (by name, or by its position for a declared param). */
    boolean has(String name);

    /** Param {@code name} (by name, or by its position for a declared param), or {@code null} when absent. */
    JsonNode get(String name);

    /** The positional param at {@code index} (for a declared method, also the named param declared there), or {@code null}. */
    JsonNode get(int index);

    /**
     * Param {@code name} as a number.
     *
     * @throws RpcException {@code -32602} when absent or not a JSON number
     */
    double number(String name);

    /**
     * Param {@code name} as a whole number.
     *
     * @throws RpcException {@code -32602} when absent or not a JSON integer within a {@code long}
     */
    long integer(String name);

    /**
     * Param {@code name} as text.
     *
     * @throws RpcException {@code -32602} when absent or not a JSON string
     */
    String text(String name);

    /**
     * Param {@code name} as a boolean.
     *
     * @throws RpcException {@code -32602} when absent or not {@code true} or {@code false}
     */
    boolean bool(String name);

    /**
     * Param {@code name} read as {@code type} by Jackson (a record, a {@code List}, ...).
     *
     * @throws RpcException {@code -32602} when absent or not readable as {@code type}
     */
    <T> T as(String name, Class<T> type);

    /** The HTTP request that carried the call: its headers, and {@code worker()} to send actor messages. */
    HttpRequest request();
}
