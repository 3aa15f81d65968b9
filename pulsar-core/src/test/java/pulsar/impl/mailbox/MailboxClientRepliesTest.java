package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.impl.loop.EventLoopImpl;

/**
 * Our client against a scripted mailbox on a real socket: tagged replies (decoded without a push
 * object) complete their requests by id in any order, an error reply fails its request alone, a
 * reply for no request is ignored, and a malformed reply closes that connection, failing what is
 * outstanding as lost, while the client's loop keeps serving other connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxClientRepliesTest {
    private static final String SECRET = "replies-secret-0123456789";

    private EventLoopImpl loop;
    private ServerSocket server;
    private MailboxConfig config;

    @BeforeEach
    void start() throws IOException {
        loop = EventLoopImpl.onNewThread("mailbox-client-replies-test");
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setSoTimeout(20_000);
        config = MailboxConfig.of(Settings.defaults(), SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        loop.stop().get(10, TimeUnit.SECONDS);
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Accepts the client and answers its HELLO (whose last word is the secret). */
    private Socket acceptAndGreet() throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(20_000);
        readUntil(s.getInputStream(), SECRET, 1);
        s.getOutputStream().write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads until {@code word} has been seen {@code times} times. */
    private static void readUntil(InputStream in, String word, int times) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (count(seen.toString(StandardCharsets.ISO_8859_1), word) < times) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + seen);
            }
            seen.write(b);
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private static void send(Socket s, String frames) throws IOException {
        s.getOutputStream().write(frames.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + f.join());
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void repliesCompleteTheirRequestsByIdAndAMalformedOneClosesOnlyItsConnection() throws Exception {
        CompletableFuture<MailboxClient> connecting = MailboxClient.connect(loop, address(), config);
        try (Socket s = acceptAndGreet()) {
            MailboxClient client = connecting.get(10, TimeUnit.SECONDS);
            CompletableFuture<Object> first = client.send("ping", new Object[0]);
            CompletableFuture<Object> second = client.send("echo", new Object[] {"x"});
            CompletableFuture<Object> third = client.send("boom", new Object[0]);
            CompletableFuture<Object> fourth = client.send("ping", new Object[0]);
            readUntil(s.getInputStream(), "TAG", 4);
            readUntil(s.getInputStream(), "ping", 1); // the fourth request's end: all four are in
            // Out of order, one of each kind; a reply for no request in between; the id of the
            // second split from its header, as a slow network may deliver it.
            send(s, ">3\r\n$5\r\nreply\r\n:3\r\n-ERR unknown command 'boom'\r\n"
                    + ">3\r\n$5\r\nreply\r\n:99\r\n+PONG\r\n"
                    + ">3\r\n$5\r\nreply\r\n:1\r\n+PONG\r\n"
                    + ">3\r\n$5\r\nreply\r\n:");
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("PONG");
            assertThat(failure(third)).isInstanceOf(PulsarException.class)
                    .satisfies(e -> assertThat(((PulsarException) e).kind()).isEqualTo(FailureKind.UNKNOWN_COMMAND))
                    .hasMessageContaining("unknown command 'boom'");
            assertThat(second).isNotDone();
            send(s, "2\r\n$1\r\nx\r\n");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("x");

            // A malformed value after a well-formed header: the connection closes, the rest fails as lost.
            send(s, ">3\r\n$5\r\nreply\r\n:4\r\n?bad\r\n");
            assertThat(failure(fourth)).isInstanceOf(PulsarException.class)
                    .satisfies(e -> assertThat(((PulsarException) e).kind()).isEqualTo(FailureKind.CONNECTION_LOST));
            client.closed().get(10, TimeUnit.SECONDS);
            assertThat(client.isOpen()).isFalse();
        }

        // The loop goes on: a new connection on it works.
        CompletableFuture<MailboxClient> again = MailboxClient.connect(loop, address(), config);
        try (Socket s = acceptAndGreet()) {
            MailboxClient client = again.get(10, TimeUnit.SECONDS);
            CompletableFuture<Object> pong = client.send("ping", new Object[0]);
            readUntil(s.getInputStream(), "ping", 1);
            send(s, ">3\r\n$5\r\nreply\r\n:1\r\n+PONG\r\n");
            assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("PONG");
            client.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.closed().isDone());
        }
    }
}
