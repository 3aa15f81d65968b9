package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;

/**
 * Slow clients do not hold a worker's capacity: with one worker, while many connections trickle
 * their heads, trickle their bodies or never read their responses, a normal keep-alive client on
 * the same worker keeps getting each answer within a second; the slow ones are closed by
 * {@code header_timeout}, {@code body_timeout} or {@code keep_alive}, or paused by backpressure.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpSlowClientTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final String GET = "GET %s HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final int SLOW = 200;

    private final int port = TestApp.freePort();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    /** A keep-alive client that asks /fast again and again and fails when an answer takes more than a second. */
    private static final class Normal implements AutoCloseable {
        private final RawClient client;
        private long answers;
        private long slowest;

        Normal(int port) throws IOException {
            client = new RawClient(port).timeout(1000);
        }

        /** One request, answered within a second. */
        void ask() throws IOException {
            long start = System.nanoTime();
            assertThat(client.send(GET.formatted("/fast")).read().text()).isEqualTo("fast");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            slowest = Math.max(slowest, ms);
            assertThat(ms).as("answer %d within a second", answers).isLessThan(1000);
            answers++;
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /**
     * Writes one byte of {@code data} (cycling, {@code from} on) to each open socket every
     * {@code everyMs}, asking the normal client in between, until every socket is closed by the
     * server (a write fails or a read sees the end or a 408) or {@code limitMs} passes; returns the
     * milliseconds each socket lived (-1: still open).
     */
    private long[] trickle(List<Socket> slow, byte[] data, int from, int everyMs, long limitMs, Normal normal) throws Exception {
        long start = System.nanoTime();
        long[] lived = new long[slow.size()];
        java.util.Arrays.fill(lived, -1);
        int[] next = new int[slow.size()];
        java.util.Arrays.fill(next, from);
        for (Socket s : slow) {
            s.setSoTimeout(1);
        }
        int open = slow.size();
        long round = 0;
        while (open > 0 && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(limitMs)) {
            long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (int i = 0; i < slow.size(); i++) {
                if (lived[i] >= 0) {
                    continue;
                }
                Socket s = slow.get(i);
                boolean closed;
                try {
                    closed = closedOr408(s.getInputStream());
                    if (!closed) {
                        s.getOutputStream().write(data[next[i]++ % data.length]);
                        s.getOutputStream().flush();
                    }
                } catch (IOException e) {
                    closed = true;
                }
                if (closed) {
                    lived[i] = now;
                    open--;
                }
            }
            normal.ask();
            round++;
            long wait = round * everyMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            while (wait > 0) { // the normal client keeps asking while the slow ones wait for their next byte
                normal.ask();
                Thread.sleep(Math.min(wait, 50));
                wait = round * everyMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
        }
        return lived;
    }

    /** Whether the server closed {@code in}'s connection (end of stream, reset, or a response, which is 408 here). */
    private static boolean closedOr408(InputStream in) throws IOException {
        try {
            int c = in.read();
            if (c < 0) {
                return true;
            }
            byte[] rest = in.readNBytes(11);
            String status = ((char) c) + new String(rest, StandardCharsets.ISO_8859_1);
            assertThat(status).isEqualTo("HTTP/1.1 408");
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void manySlowHeaderClients_areClosedAfterHeaderTimeout_whileANormalClientIsServedByTheSameWorker() throws Exception {
        new TestApp().start(port, "workers", 1, "header_timeout", "2s", "keep_alive", "30s");
        byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: yes\r\n".getBytes(StandardCharsets.US_ASCII); // never the blank line
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            slow.add(connect());
        }
        try (Normal normal = new Normal(port)) {
            long[] lived = trickle(slow, head, 0, 500, 15_000, normal);
            assertThat(java.util.Arrays.stream(lived).boxed().toList()).as("every slow-header connection is closed, after about header_timeout (2 s)")
                    .allSatisfy(ms -> assertThat(ms).isBetween(1500L, 6000L));
            assertThat(normal.answers).isGreaterThan(10);
            normal.ask();
        }
    }

    /**
     * Clients that send their head at once and then their body one byte every half second:
     * every one is answered 408 and closed after {@code body_timeout} (2 s here; {@code
     * keep_alive} restarts at every byte, so it alone would never close them), and the worker
     * keeps serving the normal client while 200 of them trickle.
     */
    @Test
    void manySlowBodyClients_areClosedAfterBodyTimeout_andDoNotStopANormalClientOfTheSameWorker() throws Exception {
        new TestApp().start(port, "workers", 1, "header_timeout", "2s", "keep_alive", "3s", "body_timeout", "2s");
        byte[] request = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            Socket s = connect();
            s.getOutputStream().write(request);
            slow.add(s);
        }
        byte[] body = "b".getBytes(StandardCharsets.US_ASCII);
        try (Normal normal = new Normal(port)) {
            long[] lived = trickle(slow, body, 0, 500, 8_000, normal);
            assertThat(java.util.Arrays.stream(lived).boxed().toList()).as("every slow-body connection is closed, after about body_timeout (2 s)")
                    .allSatisfy(ms -> assertThat(ms).isBetween(1500L, 6000L));
            assertThat(normal.answers).isGreaterThan(10);
            normal.ask();
        }
    }

    /** A slow-body connection is answered 408 and closed after body_timeout (2 s here), while the others are served. */
    @Test
    void aSlowBodyClient_isClosedWithinABoundedTime() throws Exception {
        new TestApp().start(port, "workers", 1, "header_timeout", "2s", "keep_alive", "3s", "body_timeout", "2s");
        Socket s = connect();
        s.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (Normal normal = new Normal(port)) {
            long[] lived = trickle(List.of(s), "b".getBytes(StandardCharsets.US_ASCII), 0, 500, 15_000, normal);
            assertThat(lived[0]).as("closed within 15 s").isNotNegative().isBetween(1_500L, 6_000L);
        }
    }

    @Test
    void aClientThatNeverReads_isPausedByBackpressure_andClosedAfterKeepAlive_whileANormalClientStaysFast() throws Exception {
        Monitor m = new TestApp().start(port, "workers", 1, "header_timeout", "2s", "keep_alive", "3s");
        TestApp.STREAMED.set(0);
        Socket reader = connect();
        reader.setReceiveBufferSize(64 * 1024);
        // 40 pipelined requests for 64 MiB streams each, never read
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append(GET.formatted("/stream?n=1024&size=65536"));
        }
        reader.getOutputStream().write(many.toString().getBytes(StandardCharsets.US_ASCII));
        reader.getOutputStream().flush();
        try (Normal normal = new Normal(port)) {
            AtomicLong last = new AtomicLong(-1);
            // the publisher stops being asked once the socket buffers are full: the count stops growing
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                normal.ask();
                long now = TestApp.STREAMED.get();
                return now > 0 && now == last.getAndSet(now);
            });
            long streamed = TestApp.STREAMED.get();
            System.out.printf("items of 64 KiB produced for a client that reads nothing: %d%n", streamed);
            assertThat(streamed).as("items produced for a client that reads nothing (of 65536 asked for)").isLessThan(400);
            // the connection, silent both ways, is closed after keep_alive; the normal client is served all along
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                normal.ask();
                return openConnections(m) == 1;
            });
            assertThat(TestApp.STREAMED.get()).isLessThan(streamed + 400);
            normal.ask();
        }
    }

    /** The worker's open connections, from its info. */
    @SuppressWarnings("unchecked")
    private static long openConnections(Monitor m) throws Exception {
        java.util.Map<String, Object> info = (java.util.Map<String, Object>) m.workers().get(0).send("info").get(20, TimeUnit.SECONDS);
        return (Long) ((java.util.Map<String, Object>) info.get("server")).get("connections_open");
    }
}
