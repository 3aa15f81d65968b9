package pulsar.http.rpc;

/**
 * A JSON-RPC error: thrown by a method (or by {@link RpcParams}'s readers) to answer the call
 * with {@code {"code": code, "message": message, "data": data}}. The standard codes are the
 * {@code int} constants here; the spec reserves -32768 to -32000 for them and for server errors,
 * so an application's own errors take other codes. Stackless: it is an answer, not a bug.
 */
public final class RpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@value}: the body is not JSON. */
    public static final int PARSE_ERROR = -32700;
    /** {@value}: the JSON is not a valid request object (or is an empty batch). */
    public static final int INVALID_REQUEST = -32600;
    /** {@value}: no method of that name. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** {@value}: the params do not fit the method. */
    public static final int INVALID_PARAMS = -32602;
    /** {@value}: the method failed, or its result is not JSON. */
    public static final int INTERNAL_ERROR = -32603;

    private final int code;
    private final transient Object data;

    /**
     * An error with {@code code}, a short {@code message}, and {@code data} (any JSON-able value,
     * or {@code null} for none) with the details.
     */
    public RpcException(int code, String message, Object data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    /** {@code -32602 Invalid params} with {@code detail} as data: for a method that finds its params wrong. */
    public static RpcException invalidParams(String detail) {
        return new RpcException(INVALID_PARAMS, "Invalid params", detail);
    }

    /** The standard message of a standard {@code code} ({@code "Parse error"}, ...), else {@code "Server error"}. */
    public static String standardMessage(int code) {
        return switch (code) {
            case PARSE_ERROR -> "Parse error";
            case INVALID_REQUEST -> "Invalid Request";
            case METHOD_NOT_FOUND -> "Method not found";
            case INVALID_PARAMS -> "Invalid params";
            case INTERNAL_ERROR -> "Internal error";
            default -> "Server error";
        };
    }

    /** The error's code. */
    public int code() {
        return code;
    }

    /** The error's data, or {@code null}. */
    public Object data() {
        return data;
    }
}
