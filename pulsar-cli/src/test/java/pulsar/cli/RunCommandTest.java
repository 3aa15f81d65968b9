package pulsar.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * signals, the control commands from this JVM, and the exit codes.
 */
@Timeout(120)
class RunCommandTest {
    private static final Pattern ARBITER = Pattern.compile("arbiter (127\\.0\\.0\\.1:\\d+) \\(pid");

    @TempDir
    Path dir;
    private Process run;
    private Path out;
    private Path err;

    @BeforeEach
    void localArbiterStopped() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void killLeftovers() {
        if (run != null) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process start(String... args) throws IOException {
        out = dir.resolve("out.txt");
        err = dir.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), PulsarCli.class.getName(), "run"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--secret-file", secretFile()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PULSAR_RUN_FILE", dir.resolve("run-file").toString());
        return pb.start();
    }

    private String secretFile() {
        return dir.resolve("secret").toString();
    }

    private String arbiterAddress() throws IOException {
        await().atMost(Duration.ofSeconds(60)).until(() -> ARBITER.matcher(Files.readString(out)).find() || !run.isAlive());
        Matcher m = ARBITER.matcher(Files.readString(out));
        assertThat(m.find()).as("run output: %s%s", Files.readString(out), Files.readString(err)).isTrue();
        return m.group(1);
    }

    private CliRun control(String address, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--arbiter", address, "--secret-file", secretFile()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** The application's workers that run and are not retiring, from {@code pulsar info echo}. */
    private int workers(String address) {
        CliRun r = control(address, "info", "echo");
        return (int) r.out().lines().filter(l -> l.contains(" running ") && l.trim().endsWith("false")).count();
    }

    /** The aids of the running workers, from {@code pulsar info echo}. */
    private List<String> runningAids(String address) {
        return control(address, "info", "echo").out().lines().filter(l -> l.contains(" running ") && l.trim().endsWith("false"))
                .map(l -> l.trim().split("\\s+")[0]).toList();
    }

    static String echo(int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(text.getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(text.length()), StandardCharsets.UTF_8);
        }
    }

    static boolean migratesRequests() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).trim().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(run.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runEcho_serves_scalesOnSignalsAndCommands_andStopsGracefullyOnSigterm() throws Exception {
        int port = freePort();
        Path pidFile = dir.resolve("run.pid");
        run = start("echo", "--workers", "2", "--bind", "127.0.0.1:" + port, "--pid-file", pidFile.toString(), "--log-level", "warn");
        String address = arbiterAddress();
        assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(run.pid()));
        assertThat(Files.readString(out)).contains("echo listening on 127.0.0.1:" + port, "2 process workers");
        assertThat(echo(port, "hello")).isEqualTo("hello");
        assertThat(Files.readString(dir.resolve("run-file"))).startsWith(address + " " + run.pid());
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(address) == 2);
        assertThat(control(address, "ping").out()).isEqualTo("PONG\n");
        assertThat(control(address, "ping", "echo").out()).isEqualTo("PONG\n");

        // clients keep coming while the pool grows and shrinks
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = Thread.ofPlatform().name("echo-load").start(() -> {
            while (loading.get()) {
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
        });
        signal("TTIN");
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(address) == 3);
        signal("TTOU");
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(address) == 2);
        assertThat(control(address, "scale", "echo", "1").out()).isEqualTo("OK\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(address) == 1);
        assertThat(control(address, "config", "echo", "get", "workers").out()).contains("workers").contains("1");
        String before = runningAids(address).get(0);
        signal("HUP"); // a fresh worker serves before the old one stops
        await().atMost(Duration.ofSeconds(30)).until(() -> runningAids(address).equals(List.of()) ? false
                : !runningAids(address).contains(before) && workers(address) == 1);
        loading.set(false);
        load.join(10_000);
        assertThat(served.get()).isPositive();
        // With SO_REUSEPORT each worker has its own listener: the kernel hands the connections
        // waiting on a closing one to another only with net.ipv4.tcp_migrate_req=1 (.ci/run sets
        // it), and even then one in tens of thousands may be reset at the instant it closes
        // (measured: 1 in 51,567). Known limit, in docs/operations.md; more than that is a bug.
        assertThat(failures.size()).as("client errors while scaling: %s (%d served)", failures, served.get())
                .isLessThanOrEqualTo(migratesRequests() ? 2 : Math.max(2, served.get() / 100));
        assertThat(echo(port, "still here")).isEqualTo("still here");

        signal("TERM");
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isZero();
        assertThat(run.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        assertThat(Files.exists(dir.resolve("run-file"))).isFalse();
        assertThat(Files.exists(pidFile)).isFalse();
        assertThat(Files.readString(err)).doesNotContain("INFO  MonitorImpl").doesNotContain("INFO  RunCommand"); // log_level warn
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // the port is free at once
        }
    }

    @Test
    void runHelloworld_aBundledServiceApplication_servesHttpFromAProcessWorker() throws Exception {
        int port = freePort();
        run = start("helloworld", "--bind", "127.0.0.1:" + port, "--log-level", "warn");
        arbiterAddress();
        assertThat(Files.readString(out)).contains("helloworld listening on 127.0.0.1:" + port, "1 process workers");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n{\"message\":\"Hello, World!\"}");
        }
        signal("TERM");
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isZero();
        assertThat(Files.readString(err)).doesNotContain("occurs multiple times"); // one logback.xml on the class path
    }

    @Test
    void aWorkerThatCannotStart_tripsTheBrake_andRunExits3() throws Exception {
        run = start("echo", "--bind", "127.0.0.1:" + freePort(), "--jvm-options", "-XX:+NoSuchFlagForPulsar",
                "--crash-loop-failures", "3");
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(RunCommand.EXIT_CRASH_LOOP);
        assertThat(Files.readString(err)).contains("3 workers failed to start", "NoSuchFlagForPulsar");
    }

    @Test
    void badSettings_areOneLine_andExit1() {
        CliRun bad = CliRun.of("run", "echo", "--workers", "lots");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("pulsar run: command line: setting workers: 'lots' is not an integer");
        assertThat(CliRun.of("run", "no.such.App").err()).contains("no application 'no.such.App'").contains("echo, helloworld");
        assertThat(CliRun.of("run", "echo", "--log-level", "loud").err()).contains("log_level").contains("loud");
        assertThat(CliRun.of("run", "echo", "--no-such-setting", "1").code()).isEqualTo(2);
    }

    @Test
    void settings_precedence_defaultsFileEnvironmentCommandLine() throws Exception {
        Path file = dir.resolve("pulsar.properties");
        Files.writeString(file, "# a config file\nworkers = 3\nmax_requests = 100\nkeep_alive = 20s\n");
        System.setProperty("pulsar.max_requests", "200");
        try {
            var cli = PulsarCli.commandLine();
            cli.parseArgs("run", "echo", "--config", file.toString(), "--keep-alive", "30s");
            RunCommand run = (RunCommand) cli.getSubcommands().get("run").getCommand();
            Settings s = run.settings();
            assertThat(s.workers()).isEqualTo(3);                                  // file
            assertThat(s.maxRequests()).isEqualTo(200);                            // environment over file
            assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(30));           // command line over file
            assertThat(s.gracefulTimeout()).isEqualTo(Settings.DEFAULT_GRACEFUL_TIMEOUT); // default
        } finally {
            System.clearProperty("pulsar.max_requests");
        }
        Files.writeString(file, "wokers = 3\n");
        var cli = PulsarCli.commandLine();
        cli.parseArgs("run", "echo", "--config", file.toString());
        RunCommand run = (RunCommand) cli.getSubcommands().get("run").getCommand();
        org.assertj.core.api.Assertions.assertThatThrownBy(run::settings)
                .hasMessageContaining("config file").hasMessageContaining("wokers").hasMessageContaining("'3'");
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
        CliRun r = CliRun.of("info", "--arbiter", "127.0.0.1:" + freePort(), "--secret-file", secretFile(), "--wait", "5s");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("CONNLOST").doesNotContain("Exception");
    }
}
