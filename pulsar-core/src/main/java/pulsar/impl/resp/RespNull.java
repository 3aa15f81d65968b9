package pulsar.impl.resp;

/**
 * A top-level RESP null ({@code $-1}, {@code *-1} or {@code _}). Netty cannot pass a Java
 * {@code null} down the pipeline, so the decoder emits this singleton instead; nulls inside
 * aggregates stay plain {@code null}. {@link RespWriter} writes it as a null too.
 */
enum RespNull {
    /** The only instance. */
    INSTANCE
}
