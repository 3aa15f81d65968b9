package pulsar.http;

/**
 * Serves the WebSocket connections of a route ({@link Router#websocket}). Its methods run on the
 * worker's loop, one connection's calls in order, and must not block. Every method does nothing
 * by default.
 *
 * <p>The server does the protocol: fragments are joined into one message; pings are answered
 * with pongs; a close frame is answered and ends the connection; a message larger than
 * {@code max_frame_size} closes the connection with 1009, a protocol error with 1002, text that
 * is not UTF-8 with 1007. An exception thrown by a method is logged and closes that connection
 * with 1011. A connection silent both ways for {@code keep_alive} is closed (1006), so clients
 * that keep a connection idle send pings.
 */
public interface WebSocketHandler {
    /** A connection was upgraded (the 101 response is written); {@code socket} may send from now on. */
    default void onOpen(WebSocket socket) throws Exception {
    }

    /** A text message arrived (fragments already joined). */
    default void onText(WebSocket socket, String text) throws Exception {
    }

    /** A binary message arrived (fragments already joined). */
    default void onBinary(WebSocket socket, byte[] data) throws Exception {
    }

    /**
     * The connection ended; called once for every connection that was opened. {@code code} and
     * {@code reason} are those of the close frame that started the closing handshake: the
     * client's, or the server's ({@link WebSocket#close}, 1001 when the server stops, 1008 when
     * the client did not read, 1009 when a message was too big, 1011 when a handler failed);
     * 1005 when the client's close frame had no code; 1006, with an empty reason, when the
     * connection was lost without a close frame.
     */
    default void onClose(WebSocket socket, int code, String reason) throws Exception {
    }
}
