package pulsar.http;

/**
 * Serves the WebSocket connections of a route ({@link Router#websocket}). Its methods run on the
 * worker's loop, one connection's calls in order, and must not block. Every method does
 * nothing by default. Pings are answered by the server; a message larger than
 * {@code max_frame_size} closes the connection with 1009.
 */
public interface WebSocketHandler {
    /** A connection was upgraded. */
    default void onOpen(WebSocket socket) throws Exception {
    }

    /** A text message arrived (fragments already joined). */
    default void onText(WebSocket socket, String text) throws Exception {
    }

    /** A binary message arrived (fragments already joined). */
    default void onBinary(WebSocket socket, byte[] data) throws Exception {
    }

    /** The connection closed with {@code code} and {@code reason} (1006 when it was lost without a close frame). */
    default void onClose(WebSocket socket, int code, String reason) throws Exception {
    }
}
