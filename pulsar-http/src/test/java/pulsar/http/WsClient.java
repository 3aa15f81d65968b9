package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A java.net.http WebSocket listener that records what the client receives as lines:
 * {@code text T} (fragments joined), {@code binary N}, {@code pong T}, {@code close CODE REASON},
 * {@code error Type}. Pongs are recorded only when {@code recordPongs}.
 */
public final class WsClient implements java.net.http.WebSocket.Listener {
    public final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final boolean recordPongs;

    public WsClient() {
        this(true);
    }

    public WsClient(boolean recordPongs) {
        this.recordPongs = recordPongs;
    }

    @Override
    public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add("text " + text);
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
        events.add("binary " + data.remaining());
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(java.net.http.WebSocket ws, ByteBuffer message) {
        if (recordPongs) {
            events.add("pong " + StandardCharsets.UTF_8.decode(message));
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
        events.add("close " + code + " " + reason);
        return null;
    }

    @Override
    public void onError(java.net.http.WebSocket ws, Throwable error) {
        events.add("error " + error.getClass().getSimpleName());
    }

    /** The next event, within 10 seconds. */
    public String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a client event within 10 s").isNotNull();
        return e;
    }
}
