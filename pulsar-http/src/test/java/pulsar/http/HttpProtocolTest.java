package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Curl;

/** The HTTP/1.x protocol on real sockets: keep-alive, pipelining, chunks, 100-continue, HEAD, limits, timeouts, stop. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpProtocolTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final String GET = "GET %s HTTP/1.1\r\nHost: x\r\n\r\n";

    private final int port = TestApp.freePort();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                BodyHandlers.ofString());
    }


    @Test
    void http11_keepsTheConnection_untilConnectionClose_whichIsAnsweredAndHonoured() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            RawClient.Response first = c.send(GET.formatted("/")).read();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("root");
            assertThat(first.header("Connection")).isNull();
            assertThat(first.header("Server")).startsWith("pulsar/");
            assertThat(first.header("Date")).endsWith(" GMT");
            assertThat(first.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
            assertThat(c.send(GET.formatted("/users/7")).read().text()).isEqualTo("user 7");
            RawClient.Response last = c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertThat(last.text()).isEqualTo("root");
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10_closesUnlessKeepAlive() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertThat(r.text()).isEqualTo("root");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(port)) {
            RawClient.Response r = c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().text()).isEqualTo("fast");
        }
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder_evenWhenTheFirstIsSlowerAndAsync() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            c.send(GET.formatted("/slow?ms=500") + GET.formatted("/fast") + GET.formatted("/slow?ms=50") + GET.formatted("/users/3"));
            assertThat(c.read().text()).isEqualTo("slow 500");
            assertThat(c.read().text()).isEqualTo("fast");
            assertThat(c.read().text()).isEqualTo("slow 50");
            assertThat(c.read().text()).isEqualTo("user 3");
        }
    }

    @Test
    void chunkedRequestBodies_areRead_andStreamsAreChunked() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(r.header("Content-Length")).isEqualTo("11");
            RawClient.Response s = c.send(GET.formatted("/stream?n=3&size=4")).read();
            assertThat(s.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(s.text()).isEqualTo("bbbbccccdddd");
        }
        assertThat(Curl.run("--data-binary", "abc", "-H", "Transfer-Encoding: chunked", "http://127.0.0.1:" + port + "/echo")).isEqualTo("abc");
    }

    @Test
    void expect100Continue_isAnswered_andAnotherExpectationGets417() throws Exception {
        new TestApp().start(port);
        String out = Curl.run("-i", "-H", "Expect: 100-continue", "--data-binary", "x".repeat(2000), "http://127.0.0.1:" + port + "/echo");
        assertThat(out).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200 OK").endsWith("x".repeat(2000));
        try (RawClient c = new RawClient(port)) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            assertThat(c.send("hello").read().text()).isEqualTo("hello");
        }
        try (RawClient c = new RawClient(port)) { // over max_body_size: 413 instead of 100
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect: teapot", "--data", "x", "http://127.0.0.1:" + port + "/echo"))
                .isEqualTo("417");
    }

    @Test
    void head_isTheGetRouteWithoutItsBody_withTheSameLength() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            RawClient.Response get = c.send(GET.formatted("/big")).read();
            RawClient.Response head = c.send("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length")).isEqualTo("5000");
            assertThat(c.send(GET.formatted("/fast")).read().text()).as("no body bytes were sent for HEAD").isEqualTo("fast");
        }
    }

    @Test
    void handlerErrors_give500WithoutDetails_orTheirStatus_andTheConnectionStaysUsable() throws Exception {
        new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            RawClient.Response boom = c.send(GET.formatted("/boom")).read();
            assertThat(boom.status()).isEqualTo(500);
            assertThat(boom.text()).isEqualTo("Internal Server Error").doesNotContain("secret");
            RawClient.Response teapot = c.send(GET.formatted("/teapot")).read();
            assertThat(teapot.status()).isEqualTo(418);
            assertThat(teapot.text()).isEqualTo("short and stout");
            assertThat(c.send(GET.formatted("/async-boom")).read().status()).isEqualTo(409);
            assertThat(c.send(GET.formatted("/fast")).read().text()).isEqualTo("fast");
        }
    }

    @Test
    void blockingRoutes_runOnVirtualThreads_atMostMaxBlockingAtOnce() throws Exception {
        new TestApp().start(port, "max_blocking", 2);
        TestApp.BLOCKING_MAX.set(0);
        List<CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blocking?ms=200")).build(),
                    BodyHandlers.ofString()));
        }
        assertThat(get("/fast").body()).as("the loop is free while they block").isEqualTo("fast");
        for (var call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS).body()).isEqualTo("virtual=true");
        }
        assertThat(TestApp.BLOCKING_MAX.get()).isEqualTo(2);
    }

    @Test
    void aSlowHeaderClient_isClosedAfterHeaderTimeout_whileOthersAreServedByTheSameWorker() throws Exception {
        new TestApp().start(port, "header_timeout", "1s", "workers", 1);
        try (RawClient slow = new RawClient(port)) {
            long start = System.nanoTime();
            byte[] head = GET.formatted("/").getBytes(StandardCharsets.US_ASCII);
            int sent = 0;
            boolean closed = false;
            while (!closed && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                try {
                    slow.send(new byte[] {head[sent++ % (head.length - 4)]}); // never the blank line
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                assertThat(get("/fast").body()).isEqualTo("fast");
                closed = slow.timeout(150).closedByServerOr408();
            }
            assertThat(closed).as("closed within 10 s").isTrue();
            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
        }
        assertThat(get("/").body()).isEqualTo("root");
    }

    @Test
    void anIdleConnection_isKeptUntilKeepAlive_notHeaderTimeout() throws Exception {
        new TestApp().start(port, "header_timeout", "300ms", "keep_alive", "2s");
        try (RawClient c = new RawClient(port)) {
            assertThat(c.send(GET.formatted("/")).read().text()).isEqualTo("root");
            assertThat(c.timeout(1000).closedByServer()).as("still open after 1 s idle").isFalse();
            assertThat(c.send(GET.formatted("/fast")).read().text()).isEqualTo("fast");
            await().atMost(Duration.ofSeconds(5)).until(() -> c.timeout(500).closedByServer());
        }
    }

    @Test
    void bodies_areBoundedByMaxBodySize() throws Exception {
        new TestApp().start(port, "max_body_size", 1000);
        var ok = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .POST(BodyPublishers.ofString("y".repeat(1000))).build(), BodyHandlers.ofString());
        assertThat(ok.body()).hasSize(1000);
        assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "z".repeat(1001), "http://127.0.0.1:" + port + "/echo"))
                .isEqualTo("413");
    }

    @Test
    void requestsCount_forMaxRequests_andTheWorkersInfo() throws Exception {
        Monitor m = new TestApp().start(port);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < 5; i++) {
                c.send(GET.formatted("/fast")).read();
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) m.workers().get(0).send("info").get(20, TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) info.get("server");
        assertThat(server.get("requests")).isEqualTo(5L);
    }

    @Test
    void gracefulStop_finishesTheRequestInFlight_andClosesKeepAliveConnections() throws Exception {
        Monitor m = new TestApp().start(port, "graceful_timeout", "10s");
        try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port)) {
            assertThat(idle.send(GET.formatted("/")).read().text()).isEqualTo("root");
            busy.send(GET.formatted("/slow?ms=1500"));
            await().atMost(Duration.ofSeconds(5)).until(() -> requestsServed(m) >= 2);
            CompletableFuture<?> stopped = m.stop();
            assertThat(idle.timeout(5000).closedByServer()).as("an idle keep-alive connection closes at once").isTrue();
            RawClient.Response r = busy.read();
            assertThat(r.text()).isEqualTo("slow 1500");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(busy.closedByServer()).isTrue();
            stopped.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void gracefulStop_letsAStreamInFlightFinish_toItsLastByte() throws Exception {
        Monitor m = new TestApp().start(port, "graceful_timeout", "20s");
        int size = 64 * 1024;
        int items = 200; // 12.5 MiB: far more than the socket buffers hold
        try (RawClient c = new RawClient(port)) {
            c.send(GET.formatted("/stream?n=" + items + "&size=" + size));
            await().atMost(Duration.ofSeconds(5)).until(() -> requestsServed(m) >= 1);
            CompletableFuture<?> stopped = m.stop();
            RawClient.Response r = c.read(); // reads the chunks to the terminating one
            assertThat(r.body()).hasSize(size * items); // its head went out before the stop: no Connection: close in it
            assertThat(c.closedByServer()).isTrue();
            stopped.get(30, TimeUnit.SECONDS);
        }
    }

    @SuppressWarnings("unchecked")
    private static long requestsServed(Monitor m) throws Exception {
        Map<String, Object> info = (Map<String, Object>) m.workers().get(0).send("info").get(20, TimeUnit.SECONDS);
        return (Long) ((Map<String, Object>) info.get("server")).get("requests");
    }
}
