package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;

/**
 * The invalid-request corpus, after gunicorn's {@code tests/requests/invalid}: one file per case
 * in {@code src/test/resources/invalid/}, its first line {@code # STATUS what it is} (or
 * {@code # STATUS keep what it is} when the framing stays intact and the connection open), the
 * rest the raw request with {@code \r \n \t \0} written as escapes (line breaks in the file are
 * ignored). Each is sent on a raw socket to a server with small limits; the answer must be that
 * status, never a 200, and the connection must then be closed, while the server keeps serving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpInvalidRequestTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static Monitor monitor;
    private static int port;

    record Case(String name, int status, boolean keep, byte[] raw) {
        @Override
        public String toString() {
            return name + " → " + status;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        port = TestApp.freePort();
        monitor = new TestApp().start(port, "max_request_line", 256, "max_header_size", 1024, "max_headers", 10,
                "max_body_size", 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        monitor.stop().get(60, TimeUnit.SECONDS);
    }

    static Stream<Case> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(HttpInvalidRequestTest.class.getResource("/invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".http")).sorted().map(HttpInvalidRequestTest::read).toList().stream();
        }
    }

    private static Case read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            String[] words = lines.get(0).substring(2).split(" ");
            int status = Integer.parseInt(words[0]);
            String raw = String.join("", lines.subList(1, lines.size()))
                    .replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0");
            String name = file.getFileName().toString();
            return new Case(name.substring(0, name.length() - 5), status, words[1].equals("keep"), raw.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isAnsweredWithItsStatus_andTheConnectionCloses(Case c) throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send(c.raw()).read();
            assertThat(r.status()).as("%s: %s", c.name(), r.text()).isEqualTo(c.status());
            assertThat(r.text()).doesNotContain("Exception").doesNotContain("at pulsar.");
            if (c.keep()) {
                assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("root");
            } else {
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(client.timeout(5000).closedByServer()).as("closed after %s", c.name()).isTrue();
            }
        }
        try (RawClient client = new RawClient(port)) { // the worker still serves
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("root");
        }
    }
}
