package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.app.SocketServerApplication;
import pulsar.testkit.ArbiterExtension;

/** The echo server application: workers sharing one port, surviving a kill -9. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EchoApplicationTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String echo(int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(text.length());
            return new String(buf, StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void threadWorkers_shareOnePort_andEcho() throws Exception {
        int port = freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port)
                .setting("workers", 2).setting("concurrency", "thread")).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            assertThat(echo(port, "hello " + i)).isEqualTo("hello " + i);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) m.workers().get(0).send("info").get(20, TimeUnit.SECONDS);
        assertThat(info).containsEntry("application", "echo").containsKey("server");
        m.stop().get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> refuses(port));
    }

    @Test
    void processWorkers_oneKilled_theOtherServes_andAReplacementBindsAgain() throws Exception {
        int port = freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", ":" + port)
                .setting("workers", 2)).get(60, TimeUnit.SECONDS);
        assertThat(echo(port, "before")).isEqualTo("before");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) m.info().get("workers");
        long pid = (Long) workers.get(0).get("pid");
        String victim = (String) workers.get(0).get("aid");
        // a server worker runs with C2 (DEFAULT_WORKER_JVM_OPTIONS), not the actors' C1-only default
        assertThat(ProcessHandle.of(pid).orElseThrow().info().arguments().map(List::of).orElseThrow())
                .contains("-Xmx512m").doesNotContain("-XX:TieredStopAtLevel=1");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        // every connection meanwhile is served by a worker that is alive
        for (int i = 0; i < 20; i++) {
            assertThat(echo(port, "during " + i)).isEqualTo("during " + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> m.workers().size() == 2
                && m.workers().stream().noneMatch(w -> w.aid().equals(victim)));
        for (int i = 0; i < 20; i++) {
            assertThat(echo(port, "after " + i)).isEqualTo("after " + i);
        }
    }

    @Test
    void maxRequests_retiresAWorker_afterItsReplacementRuns_withoutAClientError() throws Exception {
        int port = freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port)
                .setting("workers", 1).setting("concurrency", "thread").setting("max_requests", 20)
                .setting("max_requests_jitter", 5)).get(60, TimeUnit.SECONDS);
        String first = m.workers().get(0).aid();
        int sent = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (m.workers().stream().allMatch(w -> w.aid().equals(first)) && System.nanoTime() < deadline) {
            assertThat(echo(port, "req " + sent)).isEqualTo("req " + sent);
            sent++;
        }
        assertThat(m.workers()).hasSize(1).extracting(w -> w.aid()).doesNotContain(first);
        assertThat(sent).isGreaterThanOrEqualTo(20);
        await().atMost(Duration.ofSeconds(20)).until(() -> Pulsar.arbiter().actors().stream().noneMatch(p -> p.aid().equals(first)));
        assertThat(echo(port, "after")).isEqualTo("after");
    }

    static boolean refuses(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
