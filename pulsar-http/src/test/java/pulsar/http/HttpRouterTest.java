package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Curl;

/** The router and what comes with it: parameters, 404/405/OPTIONS, filters, CORS, JSON, forms, files, compression, streams, the access log. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpRouterTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final String GET = "GET %s HTTP/1.1\r\nHost: x\r\n\r\n";

    private final int port = TestApp.freePort();
    @TempDir
    Path dir;

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    private RawClient.Response get(String path, String... headers) throws Exception {
        return request("GET", path, "", headers);
    }

    private RawClient.Response request(String method, String path, String body, String... headers) throws Exception {
        try (RawClient c = new RawClient(port)) {
            StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            for (String h : headers) {
                r.append(h).append("\r\n");
            }
            if (!body.isEmpty()) {
                r.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
            }
            r.append("\r\n").append(body);
            c.send(r.toString().getBytes(StandardCharsets.UTF_8));
            return c.read(method.equals("HEAD"));
        }
    }

    @Test
    void routes_matchMethodsAndParameters_else404Or405WithAllow() throws Exception {
        new TestApp().start(port);
        assertThat(get("/users/42").text()).isEqualTo("user 42");
        assertThat(get("/users/a%20b").text()).isEqualTo("user a b");
        assertThat(get("/users/1/posts/2").text()).isEqualTo("1/2");
        assertThat(get("/rest/a/b/c").text()).isEqualTo("tail=a/b/c");
        assertThat(get("/rest/").text()).isEqualTo("tail=");
        assertThat(request("POST", "/users", "x").status()).isEqualTo(201);
        assertThat(request("PATCH", "/any", "").text()).isEqualTo("any PATCH");
        assertThat(get("/nowhere").status()).isEqualTo(404);
        RawClient.Response put = request("PUT", "/users/1", "x");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        RawClient.Response options = request("OPTIONS", "/users", "");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("Allow")).isEqualTo("OPTIONS, POST");
        assertThat(request("DELETE", "/ws", "").status()).as("a WebSocket route takes GET only").isEqualTo(405);
        assertThat(get("/ws").status()).as("the upgrade placeholder until WebSocket lands, or a 400 for a bad upgrade")
                .isIn(400, 501);
    }

    @Test
    void aWebSocketRoute_answersEveryMethodButGet_405AllowGet() throws Exception {
        new TestApp().start(port);
        for (String method : List.of("HEAD", "OPTIONS", "POST", "DELETE")) {
            RawClient.Response r = request(method, "/ws", "");
            assertThat(r.status()).as(method + " /ws").isEqualTo(405);
            assertThat(r.header("Allow")).as(method + " /ws").isEqualTo("GET");
        }
        // the other routes keep HEAD with GET, and OPTIONS
        RawClient.Response head = request("HEAD", "/users/1", "");
        assertThat(head.status()).isEqualTo(200);
        assertThat(request("PUT", "/users/1", "x").header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void filters_runAroundEveryRoute_in404And405Too_andMayAnswerThemselves() throws Exception {
        new TestApp().start(port);
        assertThat(get("/").header("X-Filter")).isEqualTo("outer");
        assertThat(get("/nowhere").header("X-Filter")).isEqualTo("outer");
        assertThat(request("PUT", "/", "x").header("X-Filter")).isEqualTo("outer");
        assertThat(get("/slow?ms=10").header("X-Filter")).as("around an async response").isEqualTo("outer");
        RawClient.Response denied = get("/private");
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.header("X-Filter")).as("the outer filter wraps the inner one's answer").isEqualTo("outer");
        assertThat(get("/private", "X-Key: k").text()).isEqualTo("secret");
    }

    @Test
    void cors_answersPreflights_andMarksResponses_forAllowedOriginsOnly() throws Exception {
        new TestApp().start(port);
        RawClient.Response preflight = request("OPTIONS", "/users", "", "Origin: https://ok.example",
                "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://ok.example");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("content-type");
        assertThat(get("/", "Origin: https://ok.example").header("Access-Control-Allow-Origin")).isEqualTo("https://ok.example");
        assertThat(get("/", "Origin: https://evil.example").header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void json_query_andFormBodies() throws Exception {
        new TestApp().start(port);
        RawClient.Response json = request("POST", "/json", "{\"a\":[1,2]}", "Content-Type: application/json");
        assertThat(json.text()).isEqualTo("{\"got\":{\"a\":[1,2]}}");
        assertThat(json.header("Content-Type")).isEqualTo("application/json");
        RawClient.Response bad = request("POST", "/json", "{oops", "Content-Type: application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).startsWith("invalid JSON body");
        assertThat(request("POST", "/json", "{}", "Content-Type: text/plain").status()).isEqualTo(415);
        assertThat(get("/query?a=1&b=x&b=y%20z").text()).isEqualTo("1 [x, y z]");
        assertThat(request("POST", "/form", "name=J%C3%BCrgen+M&x=1", "Content-Type: application/x-www-form-urlencoded").text())
                .isEqualTo("name=Jürgen M");
    }

    @Test
    void files_areServed_withTypesValidatorsAndRanges_neverOutsideTheirDirectory() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("app.css"), "body{}");
        Files.write(root.resolve("data.bin"), "0123456789".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("secret.txt"), "do not serve");
        Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve("secret.txt"));
        new TestApp(root.toString()).start(port);

        RawClient.Response css = get("/static/app.css");
        assertThat(css.text()).isEqualTo("body{}");
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=UTF-8");
        assertThat(css.header("Last-Modified")).endsWith("GMT");
        String etag = css.header("ETag");
        assertThat(get("/static/app.css", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(get("/static/app.css", "If-Modified-Since: " + css.header("Last-Modified")).status()).isEqualTo(304);
        assertThat(get("/static/").text()).isEqualTo("<h1>home</h1>");
        RawClient.Response range = get("/static/data.bin", "Range: bytes=2-5");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("2345");
        assertThat(range.header("Content-Range")).isEqualTo("bytes 2-5/10");
        assertThat(get("/static/data.bin", "Range: bytes=-3").text()).isEqualTo("789");
        RawClient.Response beyond = get("/static/data.bin", "Range: bytes=20-30");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */10");
        RawClient.Response head = request("HEAD", "/static/data.bin", "");
        assertThat(head.header("Content-Length")).isEqualTo("10");
        for (String escape : new String[] {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/..%2fsecret.txt",
                "/static/link.txt", "/static/nope.txt"}) {
            assertThat(get(escape).status()).as(escape).isEqualTo(404);
        }
        // with curl, a bigger file, zero-copy
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Path got = dir.resolve("got.bin");
        assertThat(Curl.run("-o", got.toString(), "-w", "%{http_code}", "http://127.0.0.1:" + port + "/static/big.bin"))
                .isEqualTo("200");
        assertThat(Files.readAllBytes(got)).isEqualTo(big);
    }

    @Test
    void compress_gzipsTextBodies_forClientsThatAcceptIt() throws Exception {
        new TestApp().start(port, "compress", "on");
        RawClient.Response gz = get("/big", "Accept-Encoding: gzip, deflate");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.body().length).isLessThan(200);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x".repeat(5000));
        }
        assertThat(get("/big").header("Content-Encoding")).isNull();
        assertThat(get("/", "Accept-Encoding: gzip").header("Content-Encoding")).as("too small to be worth it").isNull();
        assertThat(Curl.run("--compressed", "http://127.0.0.1:" + port + "/big")).isEqualTo("x".repeat(5000));
    }

    @Test
    void streams_waitForASlowClient_insteadOfBufferingWithoutBound() throws Exception {
        new TestApp().start(port);
        TestApp.STREAMED.set(0);
        int size = 64 * 1024;
        long items = 2000; // 128 MiB if it were all buffered
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write(GET.formatted("/stream?n=" + items + "&size=" + size).getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> TestApp.STREAMED.get() > 0);
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            long produced = TestApp.STREAMED.get();
            assertThat(produced).as("items produced while the client reads nothing").isLessThan(200);
            InputStream in = s.getInputStream();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0 && total < (long) size * items; n = in.read(buf)) {
                total += n;
            }
            assertThat(total).isGreaterThanOrEqualTo((long) size * items);
            assertThat(TestApp.STREAMED.get()).isEqualTo(items);
        }
    }

    @Test
    void theAccessLog_isOffByDefault() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("pulsar.http.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            new TestApp().start(port);
            get("/users/5");
            get("/users/6");
            // the line would follow the last byte written: give it that time
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> lines.list.isEmpty());
        } finally {
            access.detachAppender(lines);
        }
    }

    @Test
    void theAccessLog_hasOneLinePerRequest() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("pulsar.http.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            new TestApp().start(port, "access_log", true);
            get("/users/5");
            request("PUT", "/users/5", "abc");
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 2);
            assertThat(lines.list.get(0).getFormattedMessage()).matches("127\\.0\\.0\\.1 \"GET /users/5 HTTP/1\\.1\" 200 6 \\d+ms");
            assertThat(lines.list.get(1).getFormattedMessage()).matches("127\\.0\\.0\\.1 \"PUT /users/5 HTTP/1\\.1\" 405 18 \\d+ms");
        } finally {
            access.detachAppender(lines);
        }
    }

    @Test
    void theAccessLog_hasTheWebSocketUpgrades_with101_andTheRefusedOnes() throws Exception {
        Logger access = (Logger) LoggerFactory.getLogger("pulsar.http.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        try {
            new TestApp().start(port, "access_log", true);
            try (RawClient c = new RawClient(port)) {
                c.send(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(c.read(true).status()).isEqualTo(101);
                await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 1);
            }
            assertThat(get("/ws").status()).as("a GET without the upgrade headers").isEqualTo(400);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 2);
            assertThat(lines.list.get(0).getFormattedMessage()).matches("127\\.0\\.0\\.1 \"GET /ws HTTP/1\\.1\" 101 - \\d+ms");
            assertThat(lines.list.get(1).getFormattedMessage()).matches("127\\.0\\.0\\.1 \"GET /ws HTTP/1\\.1\" 400 - \\d+ms");
        } finally {
            access.detachAppender(lines);
        }
    }
}
