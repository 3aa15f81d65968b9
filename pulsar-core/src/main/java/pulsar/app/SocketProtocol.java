package pulsar.app;

/**
 * The user's side of a socket server: sets up each new connection, usually by adding Netty
 * handlers to its pipeline. Runs on the worker's event loop, once per accepted connection, after
 * the server's own handlers (byte counts, TLS, idle timeout): the handlers see plain bytes
 * ({@code ByteBuf}s) and must not block.
 *
 * <pre>{@code
 * SocketProtocol lines = connection -> connection.pipeline().addLast(
 *         new LineBasedFrameDecoder(8192), new MyLineHandler(connection));
 * }</pre>
 *
 * Requests: by default the server counts every chunk of bytes read as one request; a protocol
 * that knows where its requests end returns {@code true} from {@link #countsRequests()} and calls
 * {@link SocketConnection#countRequest()} for each.
 */
@FunctionalInterface
public interface SocketProtocol {
    /**
     * Sets up a new connection: adds its handlers to {@link SocketConnection#pipeline()}. An
     * exception closes that connection only (and is logged).
     */
    void initConnection(SocketConnection connection) throws Exception;

    /** Whether the protocol counts its requests with {@link SocketConnection#countRequest()}; {@code false} by default. */
    default boolean countsRequests() {
        return false;
    }

    /**
     * The echo protocol: writes back every byte it receives, as it receives it (reading pauses
     * while the client does not read its echo). The {@code echo} example serves it.
     */
    static SocketProtocol echo() {
        return connection -> connection.pipeline().addLast("echo", EchoHandler.INSTANCE);
    }
}
