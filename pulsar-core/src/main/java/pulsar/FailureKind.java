package pulsar;

/**
 * Why a remote call failed. Each kind maps one to one onto the prefix of a RESP error, so a
 * failure reads the same from a Java caller and from {@code redis-cli}.
 */
public enum FailureKind {
    /** The target did not answer in time ({@code -TIMEOUT}). */
    TIMEOUT("TIMEOUT"),
    /** No actor has that aid or address ({@code -NOACTOR}). */
    NO_SUCH_ACTOR("NOACTOR"),
    /** The target has no command of that name ({@code -ERR unknown command 'x'}). */
    UNKNOWN_COMMAND("ERR unknown command"),
    /** The command ran and failed, or its arguments were bad ({@code -ERR}). */
    REMOTE_ERROR("ERR"),
    /** The connection closed before the reply ({@code -CONNLOST}, never sent by a server). */
    CONNECTION_LOST("CONNLOST"),
    /** Authentication is missing or wrong ({@code -NOAUTH}, {@code -WRONGPASS}). */
    NOT_AUTHENTICATED("NOAUTH"),
    /** A value's class may not be deserialized ({@code -DENIED}). */
    REJECTED_CLASS("DENIED");

    private final String prefix;

    FailureKind(String prefix) {
        this.prefix = prefix;
    }

    /** The RESP error prefix of this kind. */
    public String respPrefix() {
        return prefix;
    }

    /** The kind of a RESP error message (the text after {@code -}). */
    public static FailureKind ofRespError(String message) {
        if (message.startsWith("ERR unknown command")) {
            return UNKNOWN_COMMAND;
        }
        int space = message.indexOf(' ');
        String word = space < 0 ? message : message.substring(0, space);
        return switch (word) {
            case "TIMEOUT" -> TIMEOUT;
            case "NOACTOR" -> NO_SUCH_ACTOR;
            case "CONNLOST" -> CONNECTION_LOST;
            case "NOAUTH", "WRONGPASS" -> NOT_AUTHENTICATED;
            case "DENIED" -> REJECTED_CLASS;
            default -> REMOTE_ERROR;
        };
    }
}
