package pulsar.impl.resp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A bulk string whose payload starts with the {@link #MARKER} byte: an encoded Java object
 * that travels opaque through the RESP layer. The decoder never deserializes it; that happens
 * later, after authentication, with a class filter. The marker is safe to sniff because
 * {@code 0xFF} never occurs in valid UTF-8, so no text string can start with it.
 *
 * @param bytes the whole payload, marker and format byte included
 */
public record TaggedBytes(byte[] bytes) {

    /** First byte of every tagged payload (same value as {@code ObjectCodec.MARKER}). */
    public static final byte MARKER = (byte) 0xFF;

    /** Enforces the marker and a format byte so every instance is recognisable on the wire. */
    public TaggedBytes {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 2 || bytes[0] != MARKER) {
            throw new IllegalArgumentException("tagged bytes must start with 0xFF and a format byte");
        }
    }

    // A record compares arrays by identity; compare contents so decoded values are comparable.
    @Override
    public boolean equals(Object o) {
        return o instanceof TaggedBytes t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        int shown = Math.min(bytes.length, 16);
        return "TaggedBytes[" + bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, shown)
                + (shown < bytes.length ? "...]" : "]");
    }
}
