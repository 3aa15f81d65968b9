package pulsar.http.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.http.WsClient;
import pulsar.http.WebSocket;
import pulsar.http.WebSocketHandler;

/**
 * The WebSocket layer on real sockets: java.net.http's client for what a client does, a raw
 * socket for what a bad or slow client does.
 */
@Timeout(30)
class WebSocketUpgradeTest {
    /** Echoes every message, records every call; "close" closes with 4000, "throw" throws. */
    static final class Recorder implements WebSocketHandler {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket socket) {
            sockets.add(socket);
            events.add("open " + socket.request().path());
        }

        @Override
        public void onText(WebSocket socket, String text) {
            events.add("text " + text);
            switch (text) {
                case "close" -> socket.close(4000, "asked to");
                case "throw" -> throw new IllegalStateException("on purpose");
                default -> socket.sendText(text);
            }
        }

        @Override
        public void onBinary(WebSocket socket, byte[] data) {
            events.add("binary " + data.length);
            socket.sendBinary(data);
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        String next() throws InterruptedException {
            String e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }
    }

    private final Recorder recorder = new Recorder();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocketHarness server;

    private WebSocketHarness start(Settings settings) throws Exception {
        server = new WebSocketHarness(recorder, settings);
        return server;
    }

    private java.net.http.WebSocket connect(WsClient client) throws Exception {
        java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(server.uri("/ws?x=1")), client)
                .get(10, TimeUnit.SECONDS);
        assertThat(recorder.next()).isEqualTo("open /ws");
        return ws;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        http.close();
    }

    @Test
    void textAndBinary_areEchoed_andAClientCloseIsAnswered() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);

        ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(recorder.next()).isEqualTo("text hello");
        assertThat(client.next()).isEqualTo("text hello");
        ws.sendBinary(ByteBuffer.wrap(new byte[300]), true).get(5, TimeUnit.SECONDS);
        assertThat(recorder.next()).isEqualTo("binary 300");
        assertThat(client.next()).isEqualTo("binary 300");

        ws.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
        assertThat(recorder.next()).isEqualTo("close 1000 done");
        assertThat(client.next()).isEqualTo("close 1000 ");
        assertThat(recorder.sockets.get(0).isOpen()).isFalse();
    }

    @Test
    void fragments_areJoinedIntoOneMessage() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);

        ws.sendText("hel", false).get(5, TimeUnit.SECONDS);
        ws.sendText("lo ", false).get(5, TimeUnit.SECONDS);
        ws.sendText("world", true).get(5, TimeUnit.SECONDS);

        assertThat(recorder.next()).isEqualTo("text hello world");
        assertThat(client.next()).isEqualTo("text hello world");
    }

    @Test
    void ping_isAnsweredWithPong() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);

        ws.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);

        assertThat(client.next()).isEqualTo("pong are you there");
    }

    @Test
    void ping_rawFrame_isAnsweredWithPongOfTheSamePayload() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            assertThat(raw.upgrade("/raw")).startsWith("HTTP/1.1 101 ")
                    .contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            raw.frame(true, 0x9, "hi".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Frame pong = raw.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.text()).isEqualTo("hi");
        }
    }

    @Test
    void serverClose_sendsItsCodeAndReason_andOnCloseGetsThem() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);

        ws.sendText("close", true);

        assertThat(recorder.next()).isEqualTo("text close");
        assertThat(client.next()).isEqualTo("close 4000 asked to"); // java.net.http answers the close itself
        assertThat(recorder.next()).isEqualTo("close 4000 asked to");
        assertThatThrownBy(() -> recorder.sockets.get(0).sendText("late").toCompletableFuture().get())
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void close_refusesCodesAnEndpointMayNotSend() throws Exception {
        start(Settings.defaults());
        connect(new WsClient());
        WebSocket socket = recorder.sockets.get(0);

        assertThatThrownBy(() -> socket.close(1006, "lost")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1006");
        assertThatThrownBy(() -> socket.close(1000, "x".repeat(124))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("123 bytes");
        assertThat(socket.isOpen()).isTrue();
    }

    @Test
    void tooLargeMessage_closesWith1009_inOneFrameOrInFragments() throws Exception {
        start(Settings.defaults().with("max_frame_size", 1000));
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);
        ws.sendText("x".repeat(1000), true).get(5, TimeUnit.SECONDS);
        assertThat(recorder.next()).hasSize(1005);
        assertThat(client.next()).hasSize(1005);

        ws.sendText("x".repeat(1001), true);

        assertThat(client.next()).startsWith("close 1009");
        assertThat(recorder.next()).startsWith("close 1009");

        WsClient second = new WsClient();
        java.net.http.WebSocket ws2 = connect(second);
        ws2.sendText("x".repeat(600), false).get(5, TimeUnit.SECONDS);
        ws2.sendText("x".repeat(600), true);
        assertThat(second.next()).startsWith("close 1009");
        assertThat(recorder.next()).startsWith("close 1009");
    }

    @Test
    void tooLargeFrame_rawClient_getsCloseFrame1009() throws Exception {
        start(Settings.defaults().with("max_frame_size", 1000));
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.upgrade("/raw");
            assertThat(recorder.next()).isEqualTo("open /raw");
            raw.frame(true, 0x2, new byte[5000]);
            RawWebSocket.Frame close = raw.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(raw.input().read()).as("the server closes the connection").isEqualTo(-1);
        }
        assertThat(recorder.next()).startsWith("close 1009");
    }

    @Test
    void invalidUtf8_closesWith1007() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.upgrade("/raw");
            raw.frame(true, 0x1, new byte[] {(byte) 0xc3, (byte) 0x28});
            assertThat(raw.read().closeCode()).isEqualTo(1007);
        }
        assertThat(recorder.next()).isEqualTo("open /raw");
        assertThat(recorder.next()).startsWith("close 1007");
    }

    @Test
    void closeFrame_rawClient_isEchoedAndTheServerCloses() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.upgrade("/raw");
            raw.frame(true, 0x8, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'});
            RawWebSocket.Frame answer = raw.read();
            assertThat(answer.opcode()).isEqualTo(0x8);
            assertThat(answer.closeCode()).isEqualTo(1000);
            assertThat(raw.input().read()).isEqualTo(-1);
        }
        assertThat(recorder.next()).isEqualTo("open /raw");
        assertThat(recorder.next()).isEqualTo("close 1000 bye");
    }

    @Test
    void emptyCloseFrame_is1005() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.upgrade("/raw");
            raw.frame(true, 0x8, new byte[0]);
            assertThat(raw.read().payload()).isEmpty();
        }
        assertThat(recorder.next()).isEqualTo("open /raw");
        assertThat(recorder.next()).isEqualTo("close 1005 ");
    }

    @Test
    void lostConnection_is1006() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.upgrade("/raw");
            assertThat(recorder.next()).isEqualTo("open /raw");
        }
        assertThat(recorder.next()).isEqualTo("close 1006 ");
    }

    @Test
    void handlerFailure_closesWith1011() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);

        ws.sendText("throw", true);

        assertThat(client.next()).isEqualTo("close 1011 internal error");
        assertThat(recorder.next()).isEqualTo("text throw");
        assertThat(recorder.next()).isEqualTo("close 1011 internal error");
    }

    @Test
    void serverClosingTheChannel_saysGoingAway1001() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        connect(client);

        server.accepted.close();

        assertThat(client.next()).isEqualTo("close 1001 server going away");
        assertThat(recorder.next()).isEqualTo("close 1001 server going away");
    }

    @Test
    void sends_fromManyThreads_allArrive() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        connect(client);
        WebSocket socket = recorder.sockets.get(0);

        List<CompletableFuture<Void>> sent = java.util.stream.IntStream.range(0, 200).parallel()
                .mapToObj(i -> socket.sendText("m" + i).toCompletableFuture()).toList();

        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        java.util.Set<String> got = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            got.add(client.next());
        }
        assertThat(got).hasSize(200).contains("text m0", "text m199");
    }

    @Test
    void clientThatDoesNotRead_isClosedWith1008_andSendsFail() throws Exception {
        start(Settings.defaults());
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.socket.setReceiveBufferSize(4096);
            raw.upgrade("/slow");
            assertThat(recorder.next()).isEqualTo("open /slow");
            WebSocket socket = recorder.sockets.get(0);
            String chunk = "x".repeat(60_000);
            long sent = 0;
            Throwable failure = null;
            while (failure == null && sent < (256 << 20)) {
                try {
                    socket.sendText(chunk).toCompletableFuture().getNow(null);
                } catch (Exception e) {
                    failure = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                }
                sent += chunk.length();
            }
            assertThat(failure).as("a send fails before 256 MiB are queued").isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not read");
            assertThat(sent).isLessThan(64L << 20);
            assertThat(recorder.next()).isEqualTo("close 1008 client does not read");
            assertThat(socket.isOpen()).isFalse();
        }
    }

    @Test
    void idleTimeout_isTheServersBusiness_butPingsFlowThrough() throws Exception {
        start(Settings.defaults());
        WsClient client = new WsClient();
        java.net.http.WebSocket ws = connect(client);
        for (int i = 0; i < 3; i++) {
            ws.sendPing(ByteBuffer.wrap(new byte[] {(byte) i})).get(5, TimeUnit.SECONDS);
            assertThat(client.next()).startsWith("pong");
        }
        assertThat(recorder.sockets.get(0).isOpen()).isTrue();
    }

    @Test
    void badHandshakes_getTheirStatus_andNoUpgrade() throws Exception {
        start(Settings.defaults());
        String key = "Sec-WebSocket-Key: " + RawWebSocket.KEY;
        String host = "Host: 127.0.0.1";
        assertRefused("HTTP/1.1 405 ", "allow: GET", "POST /ws HTTP/1.1", host, "Content-Length: 0",
                "Upgrade: websocket", "Connection: Upgrade", key, "Sec-WebSocket-Version: 13");
        assertRefused("HTTP/1.1 426 ", "sec-websocket-version: 13", "GET /ws HTTP/1.1", host,
                "Upgrade: websocket", "Connection: Upgrade", key, "Sec-WebSocket-Version: 8");
        assertRefused("HTTP/1.1 400 ", "Sec-WebSocket-Version", "GET /ws HTTP/1.1", host,
                "Upgrade: websocket", "Connection: Upgrade", key);
        assertRefused("HTTP/1.1 400 ", "Sec-WebSocket-Key", "GET /ws HTTP/1.1", host,
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: c2hvcnQ=", "Sec-WebSocket-Version: 13");
        assertRefused("HTTP/1.1 400 ", "Sec-WebSocket-Key", "GET /ws HTTP/1.1", host,
                "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13");
        assertRefused("HTTP/1.1 400 ", "Upgrade: websocket", "GET /ws HTTP/1.1", host, key, "Sec-WebSocket-Version: 13");
        assertThat(recorder.events).isEmpty();
    }

    private void assertRefused(String status, String mention, String... request) throws Exception {
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            String head = raw.request(request);
            String all = head + raw.rest(); // the server closes after a refusal
            assertThat(head).startsWith(status).containsIgnoringCase("connection: close");
            assertThat(all).containsIgnoringCase(mention);
        }
    }
}
