package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@code pulsar run} JVM that a test started, as the launcher runs it (its own secret file and
 * run file under the test's directory), and what the tests do with it: read its output, send it
 * control commands, list its workers and their pids, send it signals. {@link #close()} kills it,
 * its child JVMs and every worker pid it was seen with (a worker whose master died is no longer
 * its descendant), by pid, and waits for them to be gone.
 */
final class PulsarRun implements AutoCloseable {
    private static final Pattern ARBITER = Pattern.compile("arbiter (127\\.0\\.0\\.1:\\d+) \\(pid");

    private final Path dir;
    private final Process process;
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();
    private String address;

    private PulsarRun(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Starts {@code pulsar run ARGS...} with the secret file and run file of {@code dir}. */
    static PulsarRun start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    /** Starts {@code pulsar run ARGS...} in a JVM with {@code jvmOptions} too. */
    static PulsarRun start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PulsarCli.class.getName(), "run"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--secret-file", secretFile(dir)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("PULSAR_RUN_FILE", runFile(dir).toString());
        return new PulsarRun(dir, pb.start());
    }

    static String secretFile(Path dir) {
        return dir.resolve("secret").toString();
    }

    static Path runFile(Path dir) {
        return dir.resolve("run-file");
    }

    Process process() {
        return process;
    }

    /** What it printed on standard output so far. */
    String out() {
        return read("out.txt");
    }

    /** What it logged on standard error so far. */
    String err() {
        return read("err.txt");
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its arbiter's {@code HOST:PORT}, once it has printed it. */
    String arbiterAddress() {
        if (address == null) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ARBITER.matcher(out()).find() || !process.isAlive());
            Matcher m = ARBITER.matcher(out());
            assertThat(m.find()).as("run output: %s%s", out(), err()).isTrue();
            address = m.group(1);
        }
        return address;
    }

    /** A control command ({@code info echo}, {@code scale echo 1}, ...) run in this JVM against its arbiter. */
    CliRun control(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--arbiter", arbiterAddress(), "--secret-file", secretFile(dir)));
        return CliRun.of(all.toArray(String[]::new));
    }

    /**
     * The echo application's workers that run and are not retiring, from {@code pulsar info echo}:
     * aid → pid, oldest first. Every pid seen is killed by {@link #close()}.
     */
    Map<String, Long> workers() {
        Map<String, Long> workers = new LinkedHashMap<>();
        // AID NAME KIND AGE PID STATE ADDRESS UPTIME LAST_NOTIFY_AGE TIMEOUT RETIRING
        for (String line : control("info", "echo").out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 11 && f[5].equals("running") && f[10].equals("false") && f[4].matches("\\d+")) {
                long pid = Long.parseLong(f[4]);
                workers.put(f[0], pid);
                ProcessHandle.of(pid).ifPresent(h -> seen.putIfAbsent(pid, h));
            }
        }
        return workers;
    }

    /** Sends signal {@code name} (TERM, HUP, ...) to the {@code pulsar run} process. */
    void signal(String name) throws Exception {
        signal(process.pid(), name);
    }

    /** Sends signal {@code name} to process {@code pid} with kill(1). */
    static void signal(long pid, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -s %s %d", name, pid).isZero();
    }

    /**
     * The pid, among {@code pids}, of the process that holds the server side of the TCP
     * connection between local port {@code serverPort} and the client's port {@code clientPort}:
     * the socket's inode from /proc/net/tcp6 (or tcp), then the process with a descriptor on it.
     */
    static OptionalLong serverPid(int serverPort, int clientPort, Iterable<Long> pids) {
        String inode = null;
        for (String table : List.of("/proc/net/tcp6", "/proc/net/tcp")) {
            try (Stream<String> lines = Files.lines(Path.of(table))) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                inode = lines.skip(1).map(l -> l.trim().split("\\s+"))
                        .filter(f -> f.length > 9 && port(f[1]) == serverPort && port(f[2]) == clientPort && !f[9].equals("0"))
                        .map(f -> f[9]).findFirst().orElse(inode);
            } catch (IOException e) {
                // no IPv6 here: the other table
            }
        }
        if (inode == null) {
            return OptionalLong.empty();
        }
        String socket = "socket:[" + inode + "]";
        for (long pid : pids) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
                if (fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().equals(socket);
                    } catch (IOException e) {
                        return false; // closed meanwhile
                    }
                })) {
                    return OptionalLong.of(pid);
                }
            } catch (IOException e) {
                // that process is gone
            }
        }
        return OptionalLong.empty();
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills, by pid, the process, its child JVMs and every worker seen, and waits until they are gone. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(seen.values());
        all.addAll(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly); // SIGKILL ends a SIGSTOPped process too
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("process " + h.pid() + " is still there", e);
            }
        }
    }
}
