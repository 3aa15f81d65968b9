package pulsar.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.app.Application;
import pulsar.app.Monitor;

/**
 * Benchmark 10: TechEmpower-style plaintext (with and without 16 pipelined requests) and json,
 * {@code wrk -t1 -c64} and {@code -c256}, against Pulsar's helloworld application (process
 * workers, as {@code pulsar run helloworld --workers N} starts them), a raw Netty HTTP server
 * ({@link RawHttpMain}) and Vert.x 5 ({@link VertxHttpMain}) with N event loops, each in a JVM
 * of its own with the workers' JVM options. For every row the three run one after the other
 * (ROUNDS times, median kept), so they share the machine's noise.
 */
public final class HttpBench {
    private static final String ACCEPT_TEXT = "text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7";
    private static final String ACCEPT_JSON = "application/json,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7";
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern ERRORS = Pattern.compile("(Socket errors:.*|Non-2xx or 3xx responses:.*)");

    private record Side(String name, int port) {
    }

    private record Test(String name, String path, boolean pipelined) {
    }

    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        Bench.machine();
        int seconds = Bench.intSetting("http_seconds", 10);
        int warmup = Bench.intSetting("http_warmup", 5);
        int rounds = Bench.intSetting("http_rounds", 2);
        String lua = Bench.stringSetting("wrk_pipeline", "pulsar-benchmarks/pipeline.lua");
        if (!Files.isReadable(Path.of(lua))) {
            throw new IllegalStateException("no wrk pipeline script at " + lua + " (BENCH_WRK_PIPELINE)");
        }
        Settings settings = Bench.settings();
        String jvmOptions = Bench.stringSetting("http_jvm_options", "");
        if (!jvmOptions.isEmpty()) {
            settings = settings.withJvmOptions(jvmOptions);
        }
        Bench.log("JVM options of the workers and the references: %s", Bench.workerJvmOptions(settings));
        Application app = helloworld();
        // Diagnostic: other options for Pulsar's workers alone (e.g. C2), the references keeping jvm_options.
        String pulsarOptions = Bench.stringSetting("http_pulsar_jvm_options", "");
        if (app != null && !pulsarOptions.isEmpty()) {
            app.setting("jvm_options", pulsarOptions);
            Bench.log("JVM options of Pulsar's workers alone: %s", pulsarOptions);
        }
        Bench.startArbiter(settings);
        List<Test> tests = List.of(new Test("plaintext", "/plaintext", false),
                new Test("plaintext, 16 pipelined", "/plaintext", true), new Test("json", "/json", false));
        for (String w : Bench.stringSetting("http_workers", "1 2").split("\\s+")) {
            int workers = Integer.parseInt(w);
            Monitor monitor = null;
            List<Side> sides = new ArrayList<>();
            try (Jvms.Ready raw = Jvms.Ready.launch(refCommand(settings, "RawHttpMain", EchoBench.freePort(), workers));
                 Jvms.Ready vertx = Jvms.Ready.launch(refCommand(settings, "VertxHttpMain", EchoBench.freePort(), workers))) {
                if (app != null) {
                    int port = EchoBench.freePort();
                    monitor = Pulsar.arbiter().add(app.setting("bind", "127.0.0.1:" + port).setting("workers", workers))
                            .get(120, TimeUnit.SECONDS);
                    sides.add(new Side("pulsar", port));
                }
                sides.add(new Side("raw Netty", raw.port()));
                sides.add(new Side("Vert.x", vertx.port()));
                Bench.log("servers: %s", sides);
                compareResponses(sides);
                for (Side s : sides) { // JIT warm-up, not measured
                    for (Test t : tests) {
                        wrk(s, t, 64, warmup, lua);
                    }
                }
                for (Test t : tests) {
                    for (int connections : new int[] {64, 256}) {
                        double[][] rps = new double[sides.size()][rounds];
                        for (int r = 0; r < rounds; r++) {
                            StringBuilder line = new StringBuilder();
                            for (int i = 0; i < sides.size(); i++) {
                                rps[i][r] = wrk(sides.get(i), t, connections, seconds, lua);
                                line.append(String.format(Locale.ROOT, "  %s %.0f", sides.get(i).name(), rps[i][r]));
                            }
                            Bench.log("%d worker(s), %s, -c%d, round %d:%s", workers, t.name(), connections, r + 1, line);
                        }
                        report(workers, t, connections, sides, rps);
                    }
                }
            } finally {
                if (monitor != null) {
                    monitor.stop().get(60, TimeUnit.SECONDS);
                }
            }
        }
        Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        System.exit(0);
    }

    /** The helloworld application, or null (references only) when it is not on the class path yet. */
    private static Application helloworld() {
        String name = Bench.stringSetting("http_app", "pulsar.examples.HelloWorld");
        try {
            return (Application) Class.forName(name).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Bench.log("no Pulsar application %s (%s): measuring the references only", name, e);
            return null;
        }
    }

    private static List<String> refCommand(Settings settings, String main, int port, int loops) {
        List<String> options = new ArrayList<>(List.of(Bench.workerJvmOptions(settings).split("\\s+")));
        options.removeIf(String::isBlank);
        options.add("--enable-native-access=ALL-UNNAMED");
        List<String> cmd = Jvms.command(options, main);
        cmd.add(Integer.toString(port));
        cmd.add(Integer.toString(loops));
        return cmd;
    }

    private static void report(int workers, Test t, int connections, List<Side> sides, double[][] rps) {
        String bench = "10 http, " + workers + " worker" + (workers > 1 ? "s" : "");
        String metric = t.name() + ", -c" + connections + ", requests/s";
        String loops = workers + " loop" + (workers > 1 ? "s" : "");
        if (sides.size() == 3) {
            double p = Bench.median(rps[0]);
            Bench.result(bench, metric, "1/s", p, "raw Netty, " + loops, Bench.median(rps[1]), false, 0.9);
            Bench.result(bench, metric, "1/s", p, "Vert.x, " + loops, Bench.median(rps[2]), false, 1.0);
        } else { // no Pulsar: Vert.x against raw Netty, for information
            Bench.result(bench + " (Vert.x)", metric, "1/s", Bench.median(rps[1]), "raw Netty, " + loops, Bench.median(rps[0]), false, 0);
        }
    }

    /** wrk's requests/s (responses counted, pipelined ones too); errors and non-2xx answers are logged. */
    private static double wrk(Side side, Test t, int connections, int seconds, String lua) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "8s",
                "-H", "Accept: " + (t.path().equals("/json") ? ACCEPT_JSON : ACCEPT_TEXT), "-H", "Connection: keep-alive"));
        if (t.pipelined()) {
            cmd.addAll(List.of("-s", lua));
        }
        cmd.add("http://127.0.0.1:" + side.port() + t.path());
        if (t.pipelined()) {
            cmd.addAll(List.of("--", "16"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed against " + side + ": " + out);
        }
        Matcher e = ERRORS.matcher(out);
        while (e.find()) {
            Bench.log("wrk against %s %s -c%d: %s", side.name(), t.name(), connections, e.group(1));
        }
        Matcher m = RPS.matcher(out);
        if (!m.find()) {
            throw new IOException("no Requests/sec in wrk's output: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Logs each side's answers and says when their header names or bodies differ (the comparison must be fair). */
    private static void compareResponses(List<Side> sides) throws IOException {
        for (String path : List.of("/plaintext", "/json")) {
            String first = null;
            for (Side s : sides) {
                String response = get(s.port(), path);
                Bench.log("%s GET %s:\n%s", s.name(), path, response.strip().indent(4).stripTrailing());
                String shape = shape(response);
                if (first == null) {
                    first = shape;
                } else if (!first.equals(shape)) {
                    Bench.log("WARNING: %s answers %s differently from %s: %s vs %s", s.name(), path, sides.get(0).name(), shape, first);
                }
            }
        }
    }

    /** The status line, the sorted header names with their values (Date's excepted) and the body. */
    private static String shape(String response) {
        String[] parts = response.split("\r\n\r\n", 2);
        String[] lines = parts[0].split("\r\n");
        TreeSet<String> headers = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            String h = lines[i].toLowerCase(Locale.ROOT);
            headers.add(h.startsWith("date:") ? "date: (now)" : h);
        }
        return lines[0] + " " + headers + " " + (parts.length > 1 ? parts[1] : "");
    }

    /** One GET over a fresh connection; reads the answer through its Content-Length. */
    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int length = -1;
            int headerEnd = -1;
            byte[] chunk = new byte[4096];
            while (headerEnd < 0 || buf.size() < headerEnd + length) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                buf.write(chunk, 0, n);
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd >= 0) {
                    headerEnd += 4;
                    Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text.substring(0, headerEnd));
                    length = m.find() ? Integer.parseInt(m.group(1)) : 0;
                }
            }
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
