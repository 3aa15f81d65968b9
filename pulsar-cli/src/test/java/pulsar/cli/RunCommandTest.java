package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pulsar.cli.EchoClients.echo;
import static pulsar.cli.PulsarRun.freePort;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * {@code pulsar run echo} in a JVM of its own, as the launcher runs it: real worker JVMs, real
 * signals (to the master, and SIGSTOP to a worker) under client load, the control commands from
 * this JVM, and the exit codes.
 */
@Timeout(150)
class RunCommandTest {
    @TempDir
    Path dir;
    private PulsarRun run;

    @BeforeEach
    void localArbiterStopped() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void killLeftovers() {
        if (run != null) {
            run.close();
        }
    }

    private int workers() {
        return run.workers().size();
    }

    @Test
    void runEcho_withATomlFile_serves_scalesOnSignalsAndCommands_andStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        Path pidFile = dir.resolve("run.pid");
        Path toml = dir.resolve("echo.toml");
        Files.writeString(toml, """
                # settings of this run
                workers = 2
                bind = "127.0.0.1:%d"
                log-level = "warn"
                """.formatted(port));
        run = PulsarRun.start(dir, "echo", "--config", toml.toString(), "--pid-file", pidFile.toString());
        String address = run.arbiterAddress();
        Process process = run.process();
        assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(process.pid()));
        assertThat(run.out()).contains("echo listening on 127.0.0.1:" + port, "2 process workers");
        assertThat(echo(port, "hello")).isEqualTo("hello");
        assertThat(Files.readString(PulsarRun.runFile(dir))).startsWith(address + " " + process.pid());
        await().atMost(Duration.ofSeconds(30)).until(() -> workers() == 2);
        assertThat(run.control("ping").out()).isEqualTo("PONG\n");
        assertThat(run.control("ping", "echo").out()).isEqualTo("PONG\n");

        // clients keep coming while the pool grows and shrinks
        EchoClients clients = new EchoClients(port).shortClients(1);
        try (clients) {
            run.signal("TTIN");
            await().atMost(Duration.ofSeconds(30)).until(() -> workers() == 3);
            run.signal("TTOU");
            await().atMost(Duration.ofSeconds(30)).until(() -> workers() == 2);
            assertThat(run.control("scale", "echo", "1").out()).isEqualTo("OK\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> workers() == 1);
            assertThat(run.control("config", "echo", "get", "workers").out()).contains("workers").contains("1");
            var beforeHup = run.workers();
            String before = beforeHup.keySet().iterator().next();
            run.signal("HUP"); // a fresh worker serves before the old one stops
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var now = run.workers();
                return now.size() == 1 && !now.containsKey(before);
            });
            // the old worker is retiring: once it is gone, no new connection can reach its closing
            // listener (without net.ipv4.tcp_migrate_req=1, one that does is reset: see toleratedErrors)
            ProcessHandle.of(beforeHup.get(before)).ifPresent(h -> h.onExit().orTimeout(60, TimeUnit.SECONDS).join());
        }
        assertThat(clients.served()).isPositive();
        assertThat(clients.failures().size()).as("client errors while scaling: %s (%d served)", clients.failures(), clients.served())
                .isLessThanOrEqualTo(EchoClients.toleratedErrors(clients.served()));
        assertThat(echo(port, "still here")).isEqualTo("still here");

        stopAndCheckNothingIsLeft(port, Set.of());
        assertThat(Files.exists(PulsarRun.runFile(dir))).isFalse();
        assertThat(Files.exists(pidFile)).isFalse();
        assertThat(run.err()).doesNotContain("INFO  MonitorImpl").doesNotContain("INFO  RunCommand"); // log_level warn, from the file
    }

    @Test
    void aStoppedWorker_isStoppedAfterTimeout_killedAfterItsGrace_andReplaced_whileTheOtherServes() throws Exception {
        int port = freePort();
        // a worker's grace is graceful_timeout (the monitor spawns its workers with stop_grace = graceful_timeout)
        run = PulsarRun.start(dir, "echo", "--workers", "2", "--timeout", "3", "--graceful-timeout", "2", "--bind", "127.0.0.1:" + port);
        run.arbiterAddress();
        await().atMost(Duration.ofSeconds(60)).until(() -> run.workers().size() == 2);
        Map<String, Long> before = run.workers();
        Set<Long> stoppedPids = new HashSet<>();

        try (EchoClients clients = new EchoClients(port)) {
            // long connections until each worker holds one: the kernel spreads them (SO_REUSEPORT)
            Map<EchoClients.LongClient, Long> servedBy = new HashMap<>();
            for (int i = 0; i < 40 && new HashSet<>(servedBy.values()).size() < 2; i++) {
                EchoClients.LongClient c = clients.longClient();
                servedBy.put(c, serverPid(port, c, before.values()));
            }
            assertThat(new HashSet<>(servedBy.values())).as("long connections by worker pid").hasSize(2);
            long stopped = servedBy.values().iterator().next();
            String stoppedAid = before.entrySet().stream().filter(e -> e.getValue() == stopped).findFirst().orElseThrow().getKey();
            List<EchoClients.LongClient> others = servedBy.entrySet().stream().filter(e -> e.getValue() != stopped).map(Map.Entry::getKey).toList();
            ProcessHandle stoppedHandle = ProcessHandle.of(stopped).orElseThrow();
            stoppedPids.add(stopped);

            PulsarRun.signal(stopped, "STOP");
            long stoppedAt = System.nanoTime();
            Map<EchoClients.LongClient, Integer> servedAtStop = new HashMap<>();
            others.forEach(c -> servedAtStop.put(c, c.served.get()));

            // reported: no notify for the timeout (the arbiter checks every 100 ms) ...
            Pattern silent = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) WARN .* actor " + stoppedAid
                    + " \\(echo\\) sent no notify for (\\d+) ms \\(timeout 3000 ms\\): stopping it");
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.matcher(run.err()).find());
            assertThat(System.nanoTime() - stoppedAt).as("reported within the timeout and a margin").isLessThan(TimeUnit.SECONDS.toNanos(20));
            Matcher s = silent.matcher(run.err());
            assertThat(s.find()).isTrue();
            assertThat(Long.parseLong(s.group(2))).isGreaterThanOrEqualTo(3000);
            // ... killed after its grace ...
            Pattern killed = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) WARN .* actor " + stoppedAid + " \\(echo\\) did not stop within 2000 ms: killing it");
            await().atMost(Duration.ofSeconds(30)).until(() -> killed.matcher(run.err()).find());
            Matcher k = killed.matcher(run.err());
            assertThat(k.find()).isTrue();
            assertThat(between(s.group(1), k.group(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1990));
            assertThat(run.err()).contains("actor " + stoppedAid + " did not stop in time: killing pid " + stopped);
            await().atMost(Duration.ofSeconds(30)).until(() -> !stoppedHandle.isAlive());
            // ... and replaced by a new worker that serves
            await().atMost(Duration.ofSeconds(60)).until(() -> run.workers().size() == 2 && !run.workers().containsKey(stoppedAid));
            Set<Long> now = new HashSet<>(run.workers().values());
            assertThat(now).doesNotContain(stopped);
            long fresh = now.stream().filter(p -> !before.containsValue(p)).findFirst().orElseThrow();
            EchoClients.LongClient onFresh = null;
            for (int i = 0; i < 40 && onFresh == null; i++) {
                EchoClients.LongClient c = clients.longClient();
                if (serverPid(port, c, now) == fresh) {
                    onFresh = c; // it has served a round trip
                }
            }
            assertThat(onFresh).as("a connection served by the new worker, pid %d", fresh).isNotNull();
            assertThat(echo(port, "after")).isEqualTo("after");

            // the other worker's clients kept being served, without an error
            await().atMost(Duration.ofSeconds(10)).until(() -> others.stream().allMatch(c -> c.served.get() > servedAtStop.get(c) + 10));
            for (EchoClients.LongClient c : others) {
                assertThat(c.failures).as("errors of %s, on the worker that was not stopped", c.text).isEmpty();
                assertThat(c.reconnects.get() + c.resent.get()).as("%s kept its connection", c.text).isZero();
            }
        }
        stopAndCheckNothingIsLeft(port, stoppedPids);
    }

    @Test
    void hupUnderLoad_replacesEveryWorker_refusesNoConnection_andNoClientSeesAnError() throws Exception {
        int port = freePort();
        run = PulsarRun.start(dir, "echo", "--workers", "2", "--bind", "127.0.0.1:" + port, "--log-level", "warn");
        run.arbiterAddress();
        await().atMost(Duration.ofSeconds(60)).until(() -> run.workers().size() == 2);
        Set<Long> old = new HashSet<>(run.workers().values());

        EchoClients clients = new EchoClients(port);
        try (clients) {
            clients.shortClients(1).longClients(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.served() > 200);
            run.signal("HUP");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Set<Long> now = new HashSet<>(run.workers().values());
                return now.size() == 2 && Collections.disjoint(now, old);
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> old.stream().noneMatch(p -> ProcessHandle.of(p).isPresent()));
            int afterReload = clients.served();
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.served() > afterReload + 200);
        }
        // Every long connection was on an old worker, which closed it once idle: the client
        // connected again. When the close crosses the client's next request, that request was
        // sent again on a new connection, as HTTP clients do with a keep-alive connection; today
        // that is the usual case (the worker closes a connection it believes idle while the next
        // request already waits unread in the kernel, so the client sees a reset), at most once
        // per old worker the connection was on. Anything else is an error.
        for (EchoClients.LongClient c : clients.longs()) {
            assertThat(c.reconnects.get() + c.resent.get()).as("%s moved to a new worker", c.text).isPositive();
            assertThat(c.resent.get()).as("%s: requests sent again", c.text).isLessThanOrEqualTo(old.size());
        }
        // Refused connections and resets count as errors. Without net.ipv4.tcp_migrate_req=1 the
        // kernel resets the connections waiting on a worker's listener as it closes (each worker
        // has its own, SO_REUSEPORT); with it, rarely one: toleratedErrors says how many may be.
        assertThat(clients.failures().size()).as("client errors across HUP: %s (%d served)", clients.failures(), clients.served())
                .isLessThanOrEqualTo(EchoClients.toleratedErrors(clients.served()));
        stopAndCheckNothingIsLeft(port, old);
    }

    /** The pid among {@code pids} that serves the long connection {@code c}, once the worker has accepted it. */
    private static long serverPid(int port, EchoClients.LongClient c, Iterable<Long> pids) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> PulsarRun.serverPid(port, c.localPort(), pids), OptionalLong::isPresent).getAsLong();
    }

    private static Duration between(String from, String to) {
        Duration d = Duration.between(LocalTime.parse(from), LocalTime.parse(to));
        return d.isNegative() ? d.plusDays(1) : d; // across midnight
    }

    /** SIGTERM: exit 0, no process left (the pids given included), the port free at once. */
    private void stopAndCheckNothingIsLeft(int port, Set<Long> pids) throws Exception {
        run.signal("TERM");
        Process process = run.process();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code; log: %s", run.err()).isZero();
        assertThat(process.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        assertThat(pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList()).isEmpty();
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    @Test
    void runHelloworld_aBundledServiceApplication_servesHttpFromAProcessWorker() throws Exception {
        int port = freePort();
        run = PulsarRun.start(dir, "helloworld", "--bind", "127.0.0.1:" + port, "--log-level", "warn");
        run.arbiterAddress();
        assertThat(run.out()).contains("helloworld listening on 127.0.0.1:" + port, "1 process workers");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n{\"message\":\"Hello, World!\"}");
        }
        run.signal("TERM");
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process().exitValue()).isZero();
        assertThat(run.err()).doesNotContain("occurs multiple times"); // one logback.xml on the class path
    }

    @Test
    void aWorkerThatCannotStart_tripsTheBrake_andRunExits3() throws Exception {
        run = PulsarRun.start(dir, "echo", "--bind", "127.0.0.1:" + freePort(), "--jvm-options", "-XX:+NoSuchFlagForPulsar",
                "--crash-loop-failures", "3");
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process().exitValue()).isEqualTo(RunCommand.EXIT_CRASH_LOOP);
        assertThat(run.err()).contains("3 workers failed to start", "NoSuchFlagForPulsar");
    }

    @Test
    void reusePortFalse_withoutEpoll_stopsTheStartWithOneLine() throws Exception {
        run = PulsarRun.start(dir, List.of("-Dpulsar.nio=true"), "echo", "--reuse-port", "false", "--bind", "127.0.0.1:" + freePort());
        assertThat(run.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.process().exitValue()).isEqualTo(1); // could not start; 3 is the brake's alone
        assertThat(run.err().lines().filter(l -> l.startsWith("pulsar run: ")).toList()).containsExactly(
                "pulsar run: application echo stopped: monitorStart failed: reuse_port=false needs the epoll transport"
                        + " (Linux, without -Dpulsar.nio=true)");
    }

    @Test
    void badSettings_areOneLine_andExit1() {
        CliRun bad = CliRun.of("run", "echo", "--workers", "lots");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("pulsar run: command line: setting workers: 'lots' is not an integer");
        assertThat(CliRun.of("run", "no.such.App").err()).contains("no application 'no.such.App'").contains("echo, helloworld");
        assertThat(CliRun.of("run", "echo", "--log-level", "loud").err()).contains("log_level").contains("loud");
        assertThat(CliRun.of("run", "echo", "--no-such-setting", "1").code()).isEqualTo(2);
        assertThat(CliRun.of("run", "echo", "--reuse-port", "no").err().strip())
                .isEqualTo("pulsar run: command line: setting reuse_port: 'no' is not true or false");
    }

    @Test
    void everySetting_isInTheSettingsCommand_andInTheDocsTable() throws Exception {
        CliRun md = CliRun.of("settings", "--markdown");
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String name : Settings.names()) {
            assertThat(md.out()).contains("| `" + name + "` |");
            assertThat(docs).as("docs/configuration.md documents %s", name).contains("| `" + name + "` |");
        }
    }

    @Test
    void controlCommands_withoutAnArbiterThere_failWithOneLine() throws Exception {
        CliRun r = CliRun.of("info", "--arbiter", "127.0.0.1:" + freePort(), "--secret-file", PulsarRun.secretFile(dir), "--wait", "5s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("CONNLOST").doesNotContain("Exception");
    }
}
