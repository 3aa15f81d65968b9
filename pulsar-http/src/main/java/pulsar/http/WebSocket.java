package pulsar.http;

import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket connection (RFC 6455), as a {@link WebSocketHandler} sees it. Its methods
 * may be called from any thread; the returned stages complete on the worker's loop once the
 * frame is written, or fail when the connection is gone.
 *
 * <p>Writes are bounded: a connection holds at most 4 × {@code max_frame_size} unsent bytes (at
 * least 1 MiB). A send that finds that much waiting (its client does not read) fails, and the
 * connection is closed: {@code onClose} gets 1008. So a slow client costs a bounded amount of
 * memory, and the others are not held up.
 */
public interface WebSocket {
    /** A unique id of this connection (Netty's channel id, unique across JVMs). */
    String id();

    /** The upgrade request: its path, path parameters, headers, query, and the worker serving it. */
    HttpRequest request();

    /**
     * Sends a text message, in one frame.
     *
     * @return completes once written; fails with an {@link IllegalStateException} when the
     *     connection is closed or closing, or its client does not read (see above)
     */
    CompletionStage<Void> sendText(String text);

    /** Sends a binary message, in one frame; completes as {@link #sendText} does. */
    CompletionStage<Void> sendBinary(byte[] data);

    /**
     * Starts the closing handshake: sends a close frame with {@code code} and {@code reason}, then
     * closes the TCP connection when the client answers with its own, or after 5 seconds.
     * {@link WebSocketHandler#onClose} then gets this code and reason. A second close does nothing.
     *
     * @param code 1000 (normal), 1001 (going away), 1003, 1007 to 1014, or 3000 to 4999
     * @param reason at most 123 bytes in UTF-8; {@code null} for none
     * @return completes once the close frame is written (or at once when already closing)
     * @throws IllegalArgumentException for a code an endpoint may not send, or a reason too long
     */
    CompletionStage<Void> close(int code, String reason);

    /** Whether the connection is open: upgraded, and no close frame sent or received yet. */
    boolean isOpen();
}
