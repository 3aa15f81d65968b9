package pulsar.impl.resp;

/**
 * Bounds the {@link RespDecoder} enforces so that a peer cannot make it buffer or
 * allocate without limit.
 *
 * @param maxBulkLength      largest bulk, verbatim or blob-error payload, in bytes
 * @param maxAggregateLength most elements in one array, set or push (entries for a map or attribute)
 * @param maxDepth           most aggregates nested inside each other (a top-level array is depth 1)
 * @param maxLineLength      longest header or simple line, in bytes, excluding the type byte and CRLF
 */
public record RespLimits(int maxBulkLength, int maxAggregateLength, int maxDepth, int maxLineLength) {

    /** 4 MiB bulk strings, 1 Mi elements, 32 levels, 64 KiB lines. */
    public static final RespLimits DEFAULT = new RespLimits(4 * 1024 * 1024, 1_048_576, 32, 64 * 1024);

    // Payload plus CRLF must still fit in one int-indexed ByteBuf.
    private static final int MAX_BULK = Integer.MAX_VALUE - 8;

    /** Validates every bound at once so a bad setting fails at startup, not on the first big frame. */
    public RespLimits {
        check("maxBulkLength", maxBulkLength, MAX_BULK);
        check("maxAggregateLength", maxAggregateLength, Integer.MAX_VALUE);
        check("maxDepth", maxDepth, Integer.MAX_VALUE);
        check("maxLineLength", maxLineLength, MAX_BULK);
    }

    private static void check(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(field + " must be between 1 and " + max + ", got " + value);
        }
    }
}
