package pulsar.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Actor;
import pulsar.Command;
import pulsar.Pulsar;
import pulsar.app.Application;
import pulsar.http.HttpResponse;
import pulsar.http.HttpServerApplication;
import pulsar.http.Router;
import pulsar.http.WebSocket;
import pulsar.http.WebSocketHandler;

/**
 * A chat room, after pulsar's chat example: {@code GET /} is the page, and its users chat over a
 * WebSocket at {@code /message}. Each worker holds the sockets of its own users; a message
 * reaches every user, whatever worker holds their connection, through actor messages: the worker
 * that receives it asks the monitor for the application's workers ({@code workers}) and sends
 * each the command {@value #DELIVER}, which writes it to that worker's sockets. Listens on
 * 127.0.0.1:8072 unless {@code bind} says otherwise: {@code ./pulsar run chat --workers 2}.
 *
 * <p>The page sends {@code {"user": NAME, "text": TEXT}}; every user receives
 * {@code {"type": "message", "user": NAME, "text": TEXT}}, and on connecting
 * {@code {"type": "welcome", "worker": AID, "pid": PID}}, the worker that serves it.
 */
public final class Chat extends HttpServerApplication {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Chat.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The command each worker serves: writes one message to the sockets it holds, answers how many. */
    public static final String DELIVER = "chat_deliver";

    /** The sockets of each worker of this JVM, by aid (thread workers share this object). */
    private transient Map<String, Set<WebSocket>> rooms;

    /** The chat, named {@code chat}. */
    public Chat() {
        super("chat", "127.0.0.1:8072");
    }

    private synchronized Set<WebSocket> room(String aid) {
        if (rooms == null) {
            rooms = new ConcurrentHashMap<>();
        }
        return rooms.computeIfAbsent(aid, a -> ConcurrentHashMap.newKeySet());
    }

    @Override
    protected void routes(Router router) throws IOException {
        String page;
        try (InputStream in = Chat.class.getResourceAsStream("chat.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        router.get("/", request -> HttpResponse.html(page));
        router.websocket("/message", new Users());
    }

    @Override
    public CompletionStage<?> workerStart(Actor worker) throws Exception {
        Pulsar.registerCommands(Chat.class); // no class path scan on the first message
        return super.workerStart(worker);
    }

    @Override
    public CompletionStage<?> workerStopping(Actor worker) throws Exception {
        return super.workerStopping(worker).whenComplete((v, e) -> room(worker.aid()).clear());
    }

    /**
     * Writes {@code message} to every socket of the worker that runs it: sent by the worker that
     * received the message, to every worker of the application.
     */
    @Command(DELIVER)
    public static int deliver(Actor worker, String message) {
        if (!(worker.params().get(Application.WORKER_PARAM) instanceof Chat chat)) {
            return 0;
        }
        Set<WebSocket> here = chat.room(worker.aid());
        here.forEach(socket -> socket.sendText(message));
        return here.size();
    }

    /** The WebSocket side of one worker: its calls run on that worker's loop. */
    private final class Users implements WebSocketHandler {
        /** The last broadcast of this worker: the next one waits for it, so messages keep their order. */
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        @Override
        public void onOpen(WebSocket socket) throws IOException {
            Actor worker = socket.request().worker();
            room(worker.aid()).add(socket);
            socket.sendText(JSON.writeValueAsString(Map.of("type", "welcome", "worker", worker.aid(),
                    "pid", ProcessHandle.current().pid())));
        }

        @Override
        public void onText(WebSocket socket, String text) throws IOException {
            JsonNode in;
            try {
                in = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                socket.close(1003, "a message is a JSON object: {\"user\": ..., \"text\": ...}");
                return;
            }
            String user = in.path("user").asText("").strip();
            String body = in.path("text").asText("").strip();
            if (body.isEmpty()) {
                return;
            }
            String message = JSON.writeValueAsString(Map.of("type", "message",
                    "user", user.isEmpty() ? "anonymous" : user, "text", body));
            Actor worker = socket.request().worker();
            last = last.handle((v, e) -> null).thenComposeAsync(v -> broadcast(message), worker.loop());
        }

        /** Sends {@code message} to every worker of the application, this one included. */
        private CompletableFuture<?> broadcast(String message) {
            return Pulsar.send(name(), "workers").thenCompose(aids -> CompletableFuture.allOf(((List<?>) aids).stream()
                            .map(aid -> Pulsar.send(aid, DELIVER, message)
                                    .exceptionally(e -> { // a worker gone meanwhile: the others still get it
                                        LOG.debug("chat: {} did not take a message: {}", aid, e.toString());
                                        return 0;
                                    }))
                            .toArray(CompletableFuture[]::new)))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("chat: a message was not broadcast: {}", e.toString());
                        }
                    });
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            room(socket.request().worker().aid()).remove(socket);
        }
    }
}
