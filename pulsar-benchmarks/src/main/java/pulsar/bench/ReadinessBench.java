package pulsar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pulsar.EventLoop;

/**
 * Benchmark 8: {@code EventLoop.addReader} on an epoll loop, in a JVM with
 * {@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED} (the channel's descriptor joins the loop's
 * own epoll set) against the same code in a JVM without it (and, for reference, on a NIO loop).
 *
 * <p>Each side is a child JVM of its own, run one after the other, alternating, {@code rounds}
 * times; the median round is reported. In the child, a loop echoes what a loopback TCP socket
 * brings through {@code addReader} (the reader reads and writes back at once), and the main
 * thread, on a plain blocking socket, measures: sequential 1-byte round trips (p50, p99,
 * round trips/s) and pipelined 1-byte messages with {@code window} in flight (msgs/s).
 * How the child's channel was watched is told by real behaviour: the fallback starts a thread
 * named {@code pulsar-channel-watch}.
 */
public final class ReadinessBench {
    private static final String FLAG = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    private static final String[] METRICS = {"rtt p50", "rtt p99", "sequential", "pipelined"};

    private ReadinessBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child();
            return;
        }
        Bench.machine();
        int rounds = Bench.intSetting("rounds", 3);
        Map<String, List<Map<String, Double>>> runs = new HashMap<>();
        String[][] sides = {
            {"epoll, flag", FLAG},
            {"epoll, no flag", null},
            {"nio, no flag", "-Dpulsar.nio=true"},
        };
        for (int r = 0; r < rounds; r++) {
            for (String[] side : sides) {
                Map<String, Double> m = runChild(side[1]);
                Bench.log("round %d %s: %s", r + 1, side[0], m);
                runs.computeIfAbsent(side[0], k -> new ArrayList<>()).add(m);
            }
        }
        String b = "8 addReader echo, epoll loop";
        Map<String, Double> flag = medians(runs.get("epoll, flag"));
        Map<String, Double> none = medians(runs.get("epoll, no flag"));
        Map<String, Double> nio = medians(runs.get("nio, no flag"));
        Bench.result(b, "rtt p50 without flag", "us", none.get("rtt p50"), "with flag", flag.get("rtt p50"), true, 0);
        Bench.result(b, "rtt p99 without flag", "us", none.get("rtt p99"), "with flag", flag.get("rtt p99"), true, 0);
        Bench.result(b, "sequential without flag", "1/s", none.get("sequential"), "with flag", flag.get("sequential"), false, 0);
        Bench.result(b, "pipelined without flag", "msgs/s", none.get("pipelined"), "with flag", flag.get("pipelined"), false, 0);
        Bench.result(b, "rtt p50 NIO loop", "us", nio.get("rtt p50"), "epoll with flag", flag.get("rtt p50"), true, 0);
        Bench.result(b, "pipelined NIO loop", "msgs/s", nio.get("pipelined"), "epoll with flag", flag.get("pipelined"), false, 0);
    }

    private static Map<String, Double> medians(List<Map<String, Double>> runs) {
        Map<String, Double> out = new HashMap<>();
        for (String metric : METRICS) {
            out.put(metric, Bench.median(runs.stream().mapToDouble(m -> m.get(metric)).toArray()));
        }
        return out;
    }

    /** Runs one child JVM (same java, same class path) with {@code option} (or none); returns its measures. */
    private static Map<String, Double> runChild(String option) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (option != null) {
            cmd.add(option);
        }
        for (String name : new String[] {"warmup", "calls", "window"}) {
            String v = System.getenv("BENCH_" + name.toUpperCase());
            if (v != null) {
                cmd.add("-Dbench." + name + "=" + v);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReadinessBench.class.getName(), "child"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Double> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("MEASURE|")) {
                    String[] f = line.split("\\|");
                    out.put(f[1], Double.parseDouble(f[2]));
                } else {
                    System.err.println("[child] " + line);
                }
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (p.exitValue() != 0 || out.size() != METRICS.length) {
            throw new IllegalStateException("child " + cmd + " failed (exit " + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** In the child: the echo loop and the measuring client. */
    private static void child() throws Exception {
        int warmup = Bench.intSetting("warmup", 20_000);
        int calls = Bench.intSetting("calls", 100_000);
        int window = Bench.intSetting("window", 64);
        EventLoop loop = EventLoop.create();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel served = server.accept()) {
                client.socket().setTcpNoDelay(true);
                served.socket().setTcpNoDelay(true);
                ByteBuffer echo = ByteBuffer.allocateDirect(64 * 1024);
                loop.addReader(served, () -> {
                    try {
                        echo.clear();
                        int n = served.read(echo);
                        echo.flip();
                        while (echo.hasRemaining()) {
                            served.write(echo); // at most `window` bytes: fits in the send buffer
                        }
                        if (n < 0) {
                            loop.removeReader(served);
                        }
                    } catch (IOException e) {
                        loop.removeReader(served);
                    }
                });
                boolean fallback = Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.getName().equals("pulsar-channel-watch"));
                System.out.println("path: " + (fallback ? "relayed by the pulsar-channel-watch thread" : "on the loop itself") + ", " + loop);
                ByteBuffer one = ByteBuffer.allocateDirect(1);
                sequential(client, one, warmup);
                long[] rtt = sequential(client, one, calls);
                long start = System.nanoTime();
                sequential(client, one, calls / 10);
                double seq = calls / 10 / ((System.nanoTime() - start) / 1e9);
                pipelined(client, window, warmup);
                start = System.nanoTime();
                pipelined(client, window, calls);
                double piped = calls / ((System.nanoTime() - start) / 1e9);
                System.out.println("MEASURE|rtt p50|" + Bench.percentileMicros(rtt, 50));
                System.out.println("MEASURE|rtt p99|" + Bench.percentileMicros(rtt, 99));
                System.out.println("MEASURE|sequential|" + seq);
                System.out.println("MEASURE|pipelined|" + piped);
            }
        } finally {
            loop.stop().get(10, TimeUnit.SECONDS);
        }
    }

    /** {@code n} 1-byte round trips; their durations in nanoseconds. */
    private static long[] sequential(SocketChannel client, ByteBuffer one, int n) throws IOException {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            one.clear().put((byte) i).flip();
            client.write(one);
            one.clear();
            while (client.read(one) == 0) {
                Thread.onSpinWait();
            }
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    /** {@code n} 1-byte messages, {@code window} in flight: writes a message for each one echoed. */
    private static void pipelined(SocketChannel client, int window, int n) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(window);
        ByteBuffer in = ByteBuffer.allocateDirect(window);
        for (int i = 0; i < window; i++) {
            out.put((byte) i);
        }
        out.flip();
        client.write(out);
        int sent = window;
        int received = 0;
        while (received < n) {
            in.clear();
            int got = client.read(in);
            received += got;
            int more = Math.min(got, n - sent);
            if (more > 0) {
                out.clear().limit(more);
                while (out.hasRemaining()) {
                    client.write(out);
                }
                sent += more;
            }
        }
        // drain what is still in flight
        while (received < sent) {
            in.clear();
            received += client.read(in);
        }
    }
}
