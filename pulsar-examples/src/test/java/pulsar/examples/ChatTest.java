package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.testkit.ArbiterExtension;

/**
 * The chat on two process workers, with java.net.http's WebSocket client: two users held by
 * different workers see each other's messages, which travel between the workers as actor messages.
 */
@Timeout(120)
class ChatTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChatServer chat;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocket> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        chat = new ChatServer();
    }

    @AfterAll
    static void stop() throws Exception {
        chat.close();
    }

    @AfterEach
    void closeClients() {
        open.forEach(WebSocket::abort);
        http.close();
    }

    /** One chat user: its socket, what it received, and the pid of the worker that holds it. */
    final class User implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;
        long pid;

        User connect() throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(chat.ws("/message")), this).get(10, TimeUnit.SECONDS);
            open.add(socket);
            JsonNode welcome = next();
            assertThat(welcome.get("type").asText()).isEqualTo("welcome");
            pid = welcome.get("pid").asLong();
            return this;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        void say(String user, String text) throws Exception {
            socket.sendText(JSON.writeValueAsString(java.util.Map.of("user", user, "text", text)), true).get(5, TimeUnit.SECONDS);
        }

        JsonNode next() throws InterruptedException {
            JsonNode m = received.poll(15, TimeUnit.SECONDS);
            assertThat(m).as("a message within 15 s").isNotNull();
            return m;
        }
    }

    /** Two users whose connections two different workers hold: connects until the kernel spreads them. */
    private User[] onTwoWorkers() throws Exception {
        User first = new User().connect();
        for (int i = 0; i < 40; i++) {
            User other = new User().connect();
            if (other.pid != first.pid) {
                return new User[] {first, other};
            }
            other.socket.sendClose(1000, "same worker");
        }
        throw new AssertionError("40 connections all landed on worker pid " + first.pid);
    }

    @Test
    void twoUsersOnDifferentWorkers_seeEachOthersMessages() throws Exception {
        User[] users = onTwoWorkers();
        User ann = users[0];
        User bob = users[1];
        assertThat(ann.pid).isNotEqualTo(bob.pid).isNotEqualTo(ProcessHandle.current().pid());

        ann.say("ann", "hello from " + ann.pid);
        for (User u : users) {
            JsonNode m = u.next();
            assertThat(m.get("type").asText()).isEqualTo("message");
            assertThat(m.get("user").asText()).isEqualTo("ann");
            assertThat(m.get("text").asText()).isEqualTo("hello from " + ann.pid);
        }
        bob.say("bob", "hi ann");
        bob.say("", "  and again  ");
        for (User u : users) {
            assertThat(u.next().get("text").asText()).isEqualTo("hi ann");
            JsonNode again = u.next();
            assertThat(again.get("user").asText()).isEqualTo("anonymous");
            assertThat(again.get("text").asText()).isEqualTo("and again");
        }
    }

    @Test
    void aMessageThatIsNotJson_closesThatUserWith1003() throws Exception {
        User user = new User().connect();
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(chat.ws("/message")), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.add(code + " " + reason);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        open.add(socket);

        socket.sendText("not json", true).get(5, TimeUnit.SECONDS);

        assertThat(closed.poll(10, TimeUnit.SECONDS)).startsWith("1003 a message is a JSON object");
        user.say("ann", "still served");
        assertThat(user.next().get("text").asText()).isEqualTo("still served");
    }

    @Test
    void page_isServedAtTheRoot() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(chat.http("/"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(page.body()).contains("<title>Pulsar chat</title>", "new WebSocket(", "/message");
    }

    @Test
    void badUpgrades_throughTheRouter_get405Or426() throws Exception {
        assertThat(raw("POST /message HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
                .startsWith("HTTP/1.1 405 ").containsIgnoringCase("allow: GET");
        assertThat(raw("GET /message HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n\r\n"))
                .startsWith("HTTP/1.1 426 ").containsIgnoringCase("sec-websocket-version: 13");
        assertThat(raw("GET /message HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    }

    /** Sends {@code request} on a fresh connection and returns the response's head. */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", chat.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
                head.append((char) c);
            }
            return head.toString();
        }
    }
}
