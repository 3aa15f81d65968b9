package pulsar.impl.serial;

import java.util.Objects;

/**
 * A serialized payload named a class the receiving codec's filter does not allow. The message
 * names the class and the {@code serialization_allow} setting, so the fix is obvious to the
 * person reading the log.
 */
public final class RejectedClassException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    /**
     * @param className the rejected class (for arrays, the element class)
     * @param message   the full explanation
     */
    public RejectedClassException(String className, String message) {
        super(message);
        this.className = Objects.requireNonNull(className, "className");
    }

    /** The binary name of the rejected class, e.g. {@code com.acme.Order$Line}. */
    public String className() {
        return className;
    }
}
