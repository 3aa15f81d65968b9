package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Ports;

/** WebSocket routes in a real HTTP server application: routing, filters, graceful stop and keep_alive. */
@Timeout(60)
class WebSocketServerTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    /** What the server's handlers saw, in every test's application. */
    static final BlockingQueue<String> SERVER = new LinkedBlockingQueue<>();

    private final int port = Ports.free();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Echoes text, prefixed with the room and whether a worker serves it; refuses /private without X-Key. */
    public static final class WsApp extends HttpServerApplication {
        private static final long serialVersionUID = 1L;

        public WsApp() {
            super("wstest", "127.0.0.1:8070");
        }

        @Override
        protected void routes(Router router) {
            router.filter((request, next) -> request.path().startsWith("/private") && request.header("X-Key") == null
                    ? HttpResponse.text(403, "no key") : next.handle(request));
            WebSocketHandler echo = new WebSocketHandler() {
                @Override
                public void onText(WebSocket socket, String text) {
                    socket.sendText(socket.request().pathParam("room") + " " + (socket.request().worker() != null) + " " + text);
                }

                @Override
                public void onClose(WebSocket socket, int code, String reason) {
                    SERVER.add("close " + code + " " + reason);
                }
            };
            router.websocket("/rooms/{room}", echo);
            router.websocket("/private/{room}", echo);
        }
    }

    private Monitor start(Object... settings) throws Exception {
        SERVER.clear();
        WsApp app = new WsApp();
        app.setting("bind", "127.0.0.1:" + port).setting("concurrency", "thread");
        for (int i = 0; i < settings.length; i += 2) {
            app.setting((String) settings[i], settings[i + 1]);
        }
        return Pulsar.arbiter().add(app).get(60, TimeUnit.SECONDS);
    }

    private java.net.http.WebSocket connect(String path, WsClient client) throws Exception {
        return http.newWebSocketBuilder().header("X-Key", "k").buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().get(60, TimeUnit.SECONDS);
        }
        http.close();
    }

    @Test
    void route_upgradesWithItsPathParams_andTheWorker() throws Exception {
        start();
        WsClient client = new WsClient(false);
        java.net.http.WebSocket ws = connect("/rooms/blue", client);

        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);

        assertThat(client.next()).isEqualTo("text blue true hi");
        ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        assertThat(client.next()).startsWith("close 1000");
        assertThat(SERVER.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1000 bye");
    }

    @Test
    void filters_mayRefuseAnUpgrade() throws Exception {
        start();
        assertThat(connect("/private/x", new WsClient(false))).isNotNull(); // with X-Key
        var refused = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/private/x"), new WsClient(false));
        Throwable e = refused.handle((w, failure) -> failure).get(10, TimeUnit.SECONDS);
        while (e != null && !(e instanceof java.net.http.WebSocketHandshakeException)) {
            e = e.getCause();
        }
        assertThat(e).as("a refused handshake").isNotNull();
        assertThat(((java.net.http.WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403);
    }

    @Test
    void gracefulStop_closesWebSocketsAtOnceWith1001() throws Exception {
        Monitor m = start("graceful_timeout", "30s");
        WsClient client = new WsClient(false);
        java.net.http.WebSocket ws = connect("/rooms/a", client);
        ws.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo("text a true hi");

        long started = System.nanoTime();
        m.stop().get(20, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the whole graceful_timeout").isLessThan(Duration.ofSeconds(10));
        assertThat(client.next()).isEqualTo("close 1001 server going away");
        assertThat(SERVER.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1001 server going away");
    }

    @Test
    void keepAlive_closesASilentSocket_butNotOneThatPings() throws Exception {
        start("keep_alive", "1s");
        WsClient silent = new WsClient(false);
        WsClient pinging = new WsClient(false);
        connect("/rooms/s", silent);
        java.net.http.WebSocket ws = connect("/rooms/p", pinging);

        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        while (System.nanoTime() < until) {
            ws.sendPing(ByteBuffer.allocate(1)).get(5, TimeUnit.SECONDS);
            Thread.sleep(250);
        }

        assertThat(silent.events.poll(5, TimeUnit.SECONDS)).isIn("close 1006 ", "error IOException");
        assertThat(SERVER.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1006 ");
        assertThat(pinging.events).isEmpty();
        ws.sendText("still here", true).get(5, TimeUnit.SECONDS);
        assertThat(pinging.next()).isEqualTo("text p true still here");
        await().atMost(Duration.ofSeconds(1)).until(() -> SERVER.isEmpty());
    }
}
