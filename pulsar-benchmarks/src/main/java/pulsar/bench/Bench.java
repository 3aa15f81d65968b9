package pulsar.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * What every benchmark shares: percentiles, the result lines that {@code run.sh} turns into a
 * table, the arbiter started with a secret file of the benchmark's own, and /proc readings.
 *
 * <p>A result line is {@code RESULT|benchmark|metric|unit|pulsar|reference name|reference|ratio|goal|verdict},
 * where ratio = pulsar / reference and the goal says which way is better.
 */
final class Bench {
    private Bench() {
    }

    /** An integer from a system property or environment variable ({@code bench.x} / {@code BENCH_X}), else {@code def}. */
    static int intSetting(String name, int def) {
        String v = System.getProperty("bench." + name);
        if (v == null) {
            v = System.getenv("BENCH_" + name.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    /** A string from {@code bench.x} / {@code BENCH_X}, else {@code def}. */
    /**
     * The JVM options an application's process workers get with these settings (the monitor's
     * rule: {@code DEFAULT_WORKER_JVM_OPTIONS}, C2, while {@code jvm_options} keeps its default):
     * what a reference server is started with, so that both sides compile alike.
     */
    static String workerJvmOptions(pulsar.Settings settings) {
        return settings.jvmOptions().equals(pulsar.Settings.DEFAULT_JVM_OPTIONS) ? pulsar.Settings.DEFAULT_WORKER_JVM_OPTIONS : settings.jvmOptions();
    }

    static String stringSetting(String name, String def) {
        String v = System.getProperty("bench." + name);
        if (v == null) {
            v = System.getenv("BENCH_" + name.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? def : v.trim();
    }

    /** The p-th percentile (0..100) of nanosecond samples, in microseconds. */
    static double percentileMicros(long[] nanos, double p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1000.0;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Prints a result line. {@code lowerIsBetter}: the goal is ratio ≤ goal (latency, memory),
     * else ratio ≥ goal (throughput). A goal ≤ 0 means "no goal, reference only".
     */
    static void result(String bench, String metric, String unit, double pulsar, String refName, double ref,
                       boolean lowerIsBetter, double goal) {
        double ratio = ref == 0 ? Double.NaN : pulsar / ref;
        String goalText;
        String verdict;
        if (goal <= 0) {
            goalText = "-";
            verdict = "info";
        } else if (lowerIsBetter) {
            goalText = "<= " + fmt(goal) + "x";
            verdict = ratio <= goal ? "MET" : "NOT MET";
        } else {
            goalText = ">= " + fmt(goal) + "x";
            verdict = ratio >= goal ? "MET" : "NOT MET";
        }
        System.out.println("RESULT|" + bench + "|" + metric + "|" + unit + "|" + fmt(pulsar) + "|" + refName + "|"
                + fmt(ref) + "|" + (Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio)) + "|" + goalText + "|" + verdict);
        System.out.flush();
    }

    /** A result with an absolute goal ({@code value ≤ limit}) and no reference. */
    static void absolute(String bench, String metric, String unit, double value, double limit) {
        String verdict = limit <= 0 ? "info" : value <= limit ? "MET" : "NOT MET";
        System.out.println("RESULT|" + bench + "|" + metric + "|" + unit + "|" + fmt(value) + "|-|-|-|"
                + (limit <= 0 ? "-" : "<= " + fmt(limit) + " " + unit) + "|" + verdict);
        System.out.flush();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static void log(String format, Object... args) {
        System.err.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    /**
     * A secret file of the benchmark's own (owner-only), from {@code BENCH_SECRET_FILE} or a new
     * temporary file deleted on exit; so the benchmark never touches {@code ~/.pulsar/secret}.
     */
    static Path secretFile() throws IOException {
        String given = System.getenv("BENCH_SECRET_FILE");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path dir = Files.createTempDirectory("pulsar-bench", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("secret");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        dir.toFile().deleteOnExit(); // deleteOnExit runs last-registered first: the file, then the directory
        file.toFile().deleteOnExit();
        return file;
    }

    /** The arbiter's settings for a benchmark: the defaults (plus {@code pulsar.*} properties) and its own secret. */
    static Settings settings() throws IOException {
        return Settings.fromEnvironment().withSecretFile(secretFile().toString());
    }

    /** Starts the arbiter with {@code settings}. */
    static void startArbiter(Settings settings) {
        Pulsar.arbiter().configure(settings);
        Pulsar.arbiter().start().join();
    }

    /** A field of /proc/&lt;pid&gt;/status in kB (e.g. VmRSS) or a count (Threads), or -1. */
    static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    String v = line.substring(field.length() + 1).trim();
                    int space = v.indexOf(' ');
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The machine line printed at the top of every benchmark. */
    static void machine() {
        log("JVM %s %s (%s), %d available processors, pid %d", System.getProperty("java.vm.name"),
                Runtime.version(), System.getProperty("java.home"), Runtime.getRuntime().availableProcessors(),
                ProcessHandle.current().pid());
    }

    /** Three GCs with pauses, so that heap and RSS readings show what stays, not garbage. */
    static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(200);
        }
    }

    /** This JVM's open file descriptors ({@code /proc/self/fd}), or -1 where that is not readable. */
    static long openFds() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
