package pulsar;

/**
 * The one unchecked exception of remote calls: a {@link FailureKind} and a message. Futures
 * returned by {@link Pulsar#send} and {@link ActorProxy#send} fail with it. Expected, frequent
 * failures (unknown command, no such actor, connection lost) carry no stack trace.
 */
public final class PulsarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureKind kind;

    /** A failure with a stack trace when {@code kind} is a remote error or timeout. */
    public PulsarException(FailureKind kind, String message) {
        this(kind, message, null);
    }

    /** A failure caused by {@code cause}. */
    public PulsarException(FailureKind kind, String message, Throwable cause) {
        super(message, cause, false, kind == FailureKind.REMOTE_ERROR || kind == FailureKind.TIMEOUT);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    /** Why the call failed. */
    public FailureKind kind() {
        return kind;
    }

    /** The RESP error text for this failure: the message when it already has the kind's prefix. */
    public String toRespError() {
        String message = getMessage() == null ? "" : getMessage();
        if (kind == FailureKind.UNKNOWN_COMMAND || message.startsWith(kind.respPrefix())) {
            return message;
        }
        return kind.respPrefix() + " " + message;
    }
}
