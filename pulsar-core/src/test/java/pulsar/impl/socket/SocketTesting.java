package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pulsar.EventLoop;
import pulsar.app.SocketProtocol;
import pulsar.app.SocketServerConfig;

/**
 * What the socket server tests share: loops and client sockets that {@link #close()} ends (no
 * thread, port or socket left behind), a blocking client on 127.0.0.1 with read timeouts.
 */
final class SocketTesting implements AutoCloseable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    EventLoop loop() {
        EventLoop loop = EventLoop.create();
        loops.add(loop);
        return loop;
    }

    /** A server on a new loop, on a free port of 127.0.0.1 unless the config binds elsewhere. */
    SocketServer start(SocketServerConfig config, SocketProtocol protocol) {
        return SocketServer.start(loop(), config, protocol).join();
    }

    static SocketServerConfig onFreePort() {
        return SocketServerConfig.defaults().withBind("127.0.0.1:0");
    }

    static int port(SocketServer server) {
        return server.addresses().get(0).port();
    }

    Socket connect(int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
        s.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return s;
    }

    Socket connect(SocketServer server) throws IOException {
        return connect(port(server));
    }

    Socket track(Socket s) {
        sockets.add(s);
        return s;
    }

    /** Sends {@code text} and reads as many bytes back. */
    static String roundTrip(Socket s, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(out);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(out.length), StandardCharsets.UTF_8);
    }

    /** Reads {@code n} bytes (within the read timeout). */
    static String read(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
    }

    /**
     * Whether the server closed {@code s}: a read returns end of stream or a reset within
     * {@code wait}; false when the read times out (the connection is open and silent).
     */
    static boolean closedByServer(Socket s, Duration wait) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            if (!s.isClosed()) {
                s.setSoTimeout(before);
            }
        }
    }

    static long stat(SocketServer server, String key) {
        Map<String, Object> info = server.info();
        assertThat(info).containsKey(key);
        return (Long) info.get(key);
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (EventLoop loop : loops) {
            loop.stop().join();
        }
        for (EventLoop loop : loops) {
            assertThat(loop.isRunning()).isFalse();
        }
    }
}
