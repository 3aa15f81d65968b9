package pulsar.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for a test: on a free loopback port, in a temporary directory,
 * with {@code --appendonly yes}, started by {@link #start()} and stopped by its PID in
 * {@link #close()} (killed if it does not stop), which also deletes the directory. It can be
 * stopped gracefully ({@link #stop()}: SIGTERM, so it writes its data) and started again on the
 * same port and directory ({@link #restart()}).
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     TaskQueue queue = TaskQueue.open(redis.url());
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether {@code redis-server} is installed. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            boolean done = p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
            return done && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a server on a free port (a few tries if another process takes the port first). */
    public static RedisServer start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("pulsar-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            RedisServer s = new RedisServer(dir, Ports.free());
            try {
                s.launch();
                return s;
            } catch (IllegalStateException e) {
                last = e;
                s.kill();
            }
        }
        deleteTree(dir);
        throw last;
    }

    /** The server's port. */
    public int port() {
        return port;
    }

    /** The queue URL of database 0: {@code redis://127.0.0.1:PORT/0}. */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The server's PID, or -1 when it is not running. */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /** Whether the server runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server with SIGTERM (it writes its append-only file) and waits for it to exit. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Starts the stopped server again, on the same port and directory (so with its data). */
    public synchronized void restart() {
        stop();
        launch();
    }

    /**
     * Runs one command over a fresh connection and returns the reply as text: a simple or bulk
     * string, an integer's digits, an array's elements one per line, {@code null} for nil.
     *
     * @throws IllegalStateException for an error reply
     */
    public String command(String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The server's CPU time so far, seconds ({@code used_cpu_sys + used_cpu_user} of {@code INFO cpu}). */
    public double cpuSeconds() {
        double total = 0;
        for (String line : command("INFO", "cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }

    /** Stops the server (killing it if it must) and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            kill();
            deleteTree(dir);
        }
    }

    private synchronized void launch() {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--save", "", "--daemonize", "no", "--protected-mode", "yes",
                "--logfile", dir.resolve("redis.log").toString()));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed?): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start on port " + port + ": " + log());
            }
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet, or still loading its data
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        kill();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT);
    }

    private synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private String log() {
        try {
            Path f = dir.resolve("redis.log");
            if (!Files.exists(f)) {
                return "";
            }
            List<String> lines = Files.readAllLines(f);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+', ':' -> {
                return line;
            }
            case '-' -> throw new IllegalStateException(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(String.valueOf(read(in)));
                }
                return n < 0 ? null : String.join("\n", items);
            }
            default -> throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
