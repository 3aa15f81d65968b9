package pulsar.impl.resp;

import java.util.Objects;

/**
 * A value to be written as a RESP simple string ({@code +text}) rather than a bulk string.
 * Decoded simple strings are plain {@link String}s; this type exists only for writing.
 *
 * @param value the text; CR and LF are replaced by spaces when written
 */
public record RespSimple(String value) {
    /** {@code +OK}, written from a pre-encoded constant. */
    public static final RespSimple OK = new RespSimple("OK");
    /** {@code +PONG}, written from a pre-encoded constant. */
    public static final RespSimple PONG = new RespSimple("PONG");

    /** Rejects null so a missing reply is a bug at its source, not a broken frame later. */
    public RespSimple {
        Objects.requireNonNull(value, "value");
    }
}
