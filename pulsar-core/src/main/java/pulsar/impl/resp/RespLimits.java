package pulsar.impl.resp;

/**
 * Bounds the {@link RespDecoder} and {@link RespWriter} enforce so that a peer cannot make them
 * buffer, allocate or work without limit.
 *
 * @param maxBulkLength      largest bulk, verbatim or blob-error payload, in bytes
 * @param maxAggregateLength most elements in one array, set or push (entries for a map or attribute)
 * @param maxDepth           most aggregates nested inside each other (a top-level array is depth 1)
 * @param maxLineLength      longest header or simple line, in bytes, excluding the type byte and CRLF
 * @param maxMessageLength   largest top-level value read or written, every byte of it counted
 */
public record RespLimits(int maxBulkLength, int maxAggregateLength, int maxDepth, int maxLineLength,
                         int maxMessageLength) {

    /** 4 MiB bulk strings, 1 Mi elements, 32 levels, 64 KiB lines, no message limit beyond these. */
    public static final RespLimits DEFAULT = new RespLimits(4 * 1024 * 1024, 1_048_576, 32, 64 * 1024);

    // Payload plus CRLF must still fit in one int-indexed ByteBuf.
    private static final int MAX_BULK = Integer.MAX_VALUE - 8;

    /** Validates every bound at once so a bad setting fails at startup, not on the first big frame. */
    public RespLimits {
        check("maxBulkLength", maxBulkLength, MAX_BULK);
        check("maxAggregateLength", maxAggregateLength, Integer.MAX_VALUE);
        check("maxDepth", maxDepth, Integer.MAX_VALUE);
        check("maxLineLength", maxLineLength, MAX_BULK);
        check("maxMessageLength", maxMessageLength, MAX_BULK);
    }

    /** Limits without a message limit of their own (only the per-element ones bound a message). */
    public RespLimits(int maxBulkLength, int maxAggregateLength, int maxDepth, int maxLineLength) {
        this(maxBulkLength, maxAggregateLength, maxDepth, maxLineLength, MAX_BULK);
    }

    /** The message bound a too-large value fails with, the same text on every path. */
    public static IllegalArgumentException tooLarge(long limit) {
        return new IllegalArgumentException("value larger than " + limit
                + " bytes, the max_message_length setting (a list that shares sub-lists is sent expanded)");
    }

    private static void check(String field, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(field + " must be between 1 and " + max + ", got " + value);
        }
    }
}
