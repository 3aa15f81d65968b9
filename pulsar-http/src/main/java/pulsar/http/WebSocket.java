package pulsar.http;

import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket connection. Its methods may be called from any thread; the returned stages
 * complete once the frame is written (or fail when the connection is gone).
 */
public interface WebSocket {
    /** A unique id of this connection within its worker. */
    String id();

    /** The upgrade request (its path parameters, headers, query). */
    HttpRequest request();

    /** Sends a text message. */
    CompletionStage<Void> sendText(String text);

    /** Sends a binary message. */
    CompletionStage<Void> sendBinary(byte[] data);

    /** Closes with {@code code} (RFC 6455, e.g. 1000) and a short {@code reason}. */
    CompletionStage<Void> close(int code, String reason);

    /** Whether the connection is still open. */
    boolean isOpen();
}
