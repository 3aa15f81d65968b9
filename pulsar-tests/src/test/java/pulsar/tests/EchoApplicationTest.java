package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.app.SocketServerApplication;
import pulsar.testkit.ArbiterExtension;

/** The echo server application: workers sharing one port (SO_REUSEPORT, or the monitor's socket), surviving a kill -9. */
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
        ProcessHandle victimProcess = ProcessHandle.of(pid).orElseThrow();
        victimProcess.destroyForcibly();
        // Until the killed JVM is gone, its listener still takes its share of new connections
        // (SO_REUSEPORT), which are reset when it closes: a kill -9 takes them, as documented. Its
        // teardown is slower when the CPU is busy (the workers' spare JVM starts at that moment).
        victimProcess.onExit().get(20, TimeUnit.SECONDS);
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

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void reusePortFalse_processWorkersShareTheMonitorsSocket_noClientErrorWhileWorkersAreReplaced() throws Exception {
        assumeEpoll();
        int port = freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port)
                .setting("workers", 2).setting("reuse_port", false).setting("graceful_timeout", "10s")).get(60, TimeUnit.SECONDS);
        List<String> socket = listeningSockets(port);
        assertThat(socket).as("one listening socket, the monitor's").hasSize(1);
        assertThat(appInfo()).containsEntry("listening", List.of("127.0.0.1:" + port));
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) Pulsar.send(workers().get(0).get("aid"), "info")
                .get(20, TimeUnit.SECONDS)).get("server");
        assertThat(server).containsEntry("address", List.of("127.0.0.1:" + port)).containsKey("connections_served");

        try (Load load = new Load(port, 2)) {
            List<Object> before = aids();
            app("reload");
            awaitReplaced(before, 2);
            assertThat(listeningSockets(port)).isEqualTo(socket);
            Object retired = aids().get(0);
            app("retire", retired);
            awaitReplaced(List.of(retired), 2);
            app("scale", "1");
            awaitReplaced(List.of(), 1);
            app("scale", "3");
            awaitReplaced(List.of(), 3);
            app("scale", "2");
            awaitReplaced(List.of(), 2);
            assertThat(listeningSockets(port)).isEqualTo(socket);
            assertThat(load.failures()).as("client errors while workers were replaced gracefully (%d served)", load.served())
                    .isEmpty();

            // kill -9: what the killed worker had accepted dies with it (at most one connection per
            // client); what waits in the queue is the monitor's and goes to the others
            Map<String, Object> victim = workers().get(0);
            ProcessHandle.of((Long) victim.get("pid")).orElseThrow().destroyForcibly();
            awaitReplaced(List.of(victim.get("aid")), 2);
            long served = load.served();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.served() > served + 100);
            assertThat(load.failures()).as("client errors after a kill -9 (%d served)", load.served()).hasSizeLessThanOrEqualTo(2);
            assertThat(listeningSockets(port)).isEqualTo(socket);
        }
        m.stop().get(60, TimeUnit.SECONDS);
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // free at once
        }
    }

    @Test
    void reusePortFalse_threadWorkersShareTheMonitorsSocket_andItIsFixedWhileTheApplicationRuns() throws Exception {
        assumeEpoll();
        int port = freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port)
                .setting("workers", 2).setting("concurrency", "thread").setting("reuse_port", false)).get(60, TimeUnit.SECONDS);
        List<String> socket = listeningSockets(port);
        assertThat(socket).hasSize(1);
        assertThatThrownBy(() -> app("config", "set", "reuse_port", "true"))
                .hasMessageContaining("setting 'reuse_port' cannot change at run time on application echo");
        try (Load load = new Load(port, 2)) {
            List<Object> before = aids();
            app("reload");
            awaitReplaced(before, 2);
            app("scale", "1");
            awaitReplaced(List.of(), 1);
            app("scale", "2");
            awaitReplaced(List.of(), 2);
            long served = load.served();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.served() > served + 100);
            assertThat(load.failures()).as("client errors (%d served)", load.served()).isEmpty();
        }
        assertThat(listeningSockets(port)).isEqualTo(socket);
        m.stop().get(60, TimeUnit.SECONDS);
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // free at once
        }
    }

    /** reuse_port=false needs the epoll transport: Linux, without -Dpulsar.nio=true. */
    private static void assumeEpoll() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && !Boolean.getBoolean("pulsar.nio"), "the epoll transport");
    }

    /** Sends a command to the echo application (its monitor runs it on the arbiter's loop). */
    private static Object app(Object... command) throws Exception {
        return Pulsar.send("echo", String.valueOf(command[0]), java.util.Arrays.copyOfRange(command, 1, command.length))
                .get(20, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> appInfo() throws Exception {
        return (Map<String, Object>) app("info");
    }

    /** Every worker the monitor has, a stopping one too until it exits. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> workers() throws Exception {
        return (List<Map<String, Object>>) appInfo().get("workers");
    }

    private static List<Object> aids() throws Exception {
        return workers().stream().map(w -> w.get("aid")).toList();
    }

    /** Waits until exactly {@code n} workers are left, each running and not retiring, none of {@code old}. */
    private static void awaitReplaced(List<Object> old, int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Map<String, Object>> all = workers();
            return all.size() == n && all.stream().allMatch(w -> "running".equals(w.get("state")) && Boolean.FALSE.equals(w.get("retiring"))
                    && !old.contains(w.get("aid")));
        });
    }

    /** The inodes of the sockets listening on {@code port}, IPv4 or IPv6 (the kernel's tables: every process's). */
    static List<String> listeningSockets(int port) throws IOException {
        String localPort = String.format(":%04X", port);
        List<String> inodes = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Files.readAllLines(Path.of(table)).stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f[1].endsWith(localPort) && f[3].equals("0A")).forEach(f -> inodes.add(f[9]));
        }
        return inodes;
    }

    /** Clients that echo over short connections, one after another each, until closed. */
    static final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong served = new AtomicLong();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final List<Thread> clients = new ArrayList<>();

        Load(int port, int clients) {
            for (int i = 0; i < clients; i++) {
                this.clients.add(Thread.ofPlatform().name("echo-load-" + i).start(() -> {
                    while (running.get()) {
                        try {
                            if (echo(port, "load").equals("load")) {
                                served.incrementAndGet();
                            } else {
                                failures.add("short echo");
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
        }

        long served() {
            return served.get();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }
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
