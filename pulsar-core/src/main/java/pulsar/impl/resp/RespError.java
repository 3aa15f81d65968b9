package pulsar.impl.resp;

import java.util.Objects;

/**
 * A RESP error reply: {@code -ERR message} or a RESP3 blob error {@code !n}.
 *
 * @param message the full text after {@code -}, e.g. {@code ERR unknown command 'FOO'}
 */
public record RespError(String message) {

    /** Rejects null; an empty message is allowed because the protocol allows it. */
    public RespError {
        Objects.requireNonNull(message, "message");
    }

    /** The first word of the message, e.g. {@code ERR} or {@code WRONGTYPE}, by Redis convention the error code. */
    public String prefix() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
