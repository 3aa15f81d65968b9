package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Curl;

/** Keep-alive as the real curl sees it: HTTP/1.0 closes unless asked, Connection: close is honoured, HTTP/1.1 reuses. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpCurlKeepAliveTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    private final int port = TestApp.freePort();

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void http10_isAnsweredAndClosed_unlessKeepAlive_whichIsReused() throws Exception {
        new TestApp().start(port);
        String out = Curl.run("-v", "--http1.0", url("/"), url("/fast"));
        assertThat(out).contains("> GET / HTTP/1.0").contains("< Connection: close").contains("root").contains("fast")
                .doesNotContain("Re-using existing connection");
        String kept = Curl.run("-v", "--http1.0", "-H", "Connection: keep-alive", url("/"), url("/fast"));
        assertThat(kept).contains("< Connection: keep-alive").contains("root").contains("fast")
                .containsPattern("(?i)re-using existing connection");
        String streamed = Curl.run("--http1.0", url("/stream?n=3&size=4"));
        assertThat(streamed).as("a stream to HTTP/1.0: unframed, then closed").isEqualTo("bbbbccccdddd");
    }

    @Test
    void http11_reusesTheConnection_unlessConnectionClose() throws Exception {
        new TestApp().start(port);
        String reused = Curl.run("-v", url("/"), url("/fast"));
        assertThat(reused).contains("root").contains("fast").containsPattern("(?i)re-using existing connection")
                .doesNotContain("< Connection: close");
        String closed = Curl.run("-v", "-H", "Connection: close", url("/"), url("/fast"));
        assertThat(closed).contains("< Connection: close").contains("root").contains("fast")
                .doesNotContainPattern("(?i)re-using existing connection");
    }
}
