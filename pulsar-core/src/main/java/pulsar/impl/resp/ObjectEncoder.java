package pulsar.impl.resp;

/**
 * Turns a value {@link RespWriter} has no RESP type for into tagged bytes (marker, format,
 * payload). Supplied by the caller so the RESP layer does not depend on a serializer.
 */
@FunctionalInterface
public interface ObjectEncoder {
    /**
     * @param value a non-null value of a type RESP cannot express
     * @return the tagged bytes, starting with {@link TaggedBytes#MARKER}
     * @throws IllegalArgumentException if the value cannot be encoded
     */
    byte[] encode(Object value);
}
