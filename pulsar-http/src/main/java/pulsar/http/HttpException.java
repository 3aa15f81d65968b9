package pulsar.http;

/**
 * Thrown by a handler (or by {@link HttpRequest#json}) to answer with {@code status} and a short
 * plain-text {@code message} instead of a 500.
 */
public class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** An error answered with {@code status} (400..599) and {@code message}. */
    public HttpException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HttpException status " + status + " is not in 400..599");
        }
        this.status = status;
    }

    /** The response's status. */
    public int status() {
        return status;
    }
}
