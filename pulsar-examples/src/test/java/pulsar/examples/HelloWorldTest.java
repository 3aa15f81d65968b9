package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Curl;

/** The helloworld application end to end: two process workers (child JVMs) on one port, asked with curl. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HelloWorldTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();


    @Test
    void processWorkers_serveTheThreeRoutes_and405ForOtherMethods() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(new HelloWorld().serverConfig(new HelloWorld().settings()).bind().get(0).toString()).isEqualTo("127.0.0.1:8070");
        Monitor m = Pulsar.arbiter().add(new HelloWorld().setting("bind", "127.0.0.1:" + port).setting("workers", 2))
                .get(90, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + port;
        for (int i = 0; i < 10; i++) { // new connections: the kernel spreads them over both workers
            assertThat(Curl.run(base + "/")).isEqualTo("Hello World!");
        }
        assertThat(Curl.run("-i", base + "/")).startsWith("HTTP/1.1 200 OK").contains("Content-Type: text/plain; charset=UTF-8");
        assertThat(Curl.run("-i", base + "/plaintext")).contains("Content-Type: text/plain").endsWith("\n\nHello, World!");
        assertThat(Curl.run("-i", base + "/json")).contains("Content-Type: application/json").endsWith("\n\n{\"message\":\"Hello, World!\"}");
        assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", base + "/")).isEqualTo("405");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) m.info().get("workers");
        assertThat(workers).hasSize(2).allSatisfy(w -> assertThat((Long) w.get("pid")).isNotEqualTo(ProcessHandle.current().pid()));
        m.stop().get(60, TimeUnit.SECONDS);
    }
}
