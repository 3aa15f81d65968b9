package pulsar.http.rpc;

/**
 * One JSON-RPC method: turns the call's params into its result. Runs where the route's handler
 * runs (the worker's loop, or a virtual thread for a {@code blocking()} route), so on the loop it
 * must not block: return a {@link java.util.concurrent.CompletionStage} instead.
 * <pre>{@code
 * RpcMethod add = params -> params.number("a") + params.number("b");
 * }</pre>
 */
@FunctionalInterface
public interface RpcMethod {
    /**
     * The result of a call: a value Jackson writes as JSON ({@code null}, a number, a string, a
     * {@code Map}, a {@code List}, a record, a {@code JsonNode}...), or a {@code CompletionStage}
     * of one.
     *
     * @throws RpcException to answer with that error (e.g. {@link RpcException#invalidParams})
     * @throws IllegalArgumentException answered as {@code -32602 Invalid params}, its message as data
     * @throws Exception any other: answered {@code -32603 Internal error}, and logged
     */
    Object call(RpcParams params) throws Exception;
}
