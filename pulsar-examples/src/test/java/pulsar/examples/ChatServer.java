package pulsar.examples;

import java.util.concurrent.TimeUnit;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.Ports;

/** The chat with two process workers on a free port, for the chat's tests. */
final class ChatServer implements AutoCloseable {
    final int port = Ports.free();
    final Monitor monitor;

    ChatServer() throws Exception {
        monitor = Pulsar.arbiter().add(new Chat().setting("bind", "127.0.0.1:" + port).setting("workers", 2)
                .setting("graceful_timeout", "2s")).get(90, TimeUnit.SECONDS);
    }

    String http(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String ws(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws Exception {
        monitor.stop().get(60, TimeUnit.SECONDS);
    }
}
