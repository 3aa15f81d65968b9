package pulsar.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pulsar.ActorProxy;
import pulsar.Pulsar;

/**
 * Child JVMs for the process benchmarks: the command line of a process actor's JVM (read from
 * /proc), and reference JVMs launched the same way (same java binary, same options, same class
 * path) whose readiness is the first {@code ready} line on their standard output.
 */
final class Jvms {
    private Jvms() {
    }

    /** The command line of a live process, from /proc/&lt;pid&gt;/cmdline. */
    static List<String> commandLine(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * The JVM options of a process actor's command line (between the java binary and
     * {@code -cp}) without its AOT-cache options, which each benchmark sets itself.
     */
    static List<String> jvmOptions(List<String> commandLine) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < commandLine.size(); i++) {
            String a = commandLine.get(i);
            if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                break;
            }
            if (isAotOption(a)) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    static boolean isAotOption(String a) {
        return a.startsWith("-XX:AOTCache") || a.startsWith("-XX:AOTMode") || a.startsWith("-XX:AOTCacheOutput")
                || a.startsWith("-Xlog:aot") || a.startsWith("-Xlog:cds") || a.startsWith("-XX:SharedArchiveFile");
    }

    /** The pid of a process actor, from its {@code info}. */
    static long pid(ActorProxy proxy) {
        Object info = Pulsar.send(proxy, "info").join();
        if (info instanceof Map<?, ?> m && m.get("pid") instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("info of " + proxy + " has no pid: " + info);
    }

    /** Stops a process actor and waits until its JVM has exited. */
    static void stopAndWait(ActorProxy proxy, long pid) {
        try {
            Pulsar.send(proxy, "stop").join();
        } catch (RuntimeException e) {
            // the connection may close with the stop
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    /** The java binary of this JVM (what the arbiter starts children with). */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java <options> -cp <this class path> pulsar.bench.<main>}. */
    static List<String> command(List<String> options, String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(options);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("pulsar.bench." + main);
        return cmd;
    }

    /** A reference JVM that was started and reported ready. */
    static final class Ready implements AutoCloseable {
        final Process process;
        final long nanos;
        final String line;

        private Ready(Process process, long nanos, String line) {
            this.process = process;
            this.nanos = nanos;
            this.line = line;
        }

        /** Starts {@code command} and waits for its {@code ready} line; {@link #nanos} is the time to it. */
        static Ready launch(List<String> command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            long t0 = System.nanoTime();
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready")) {
                System.err.println("[ref] " + line);
            }
            long dt = System.nanoTime() - t0;
            if (line == null) {
                p.destroyForcibly();
                throw new IOException("reference JVM exited before reporting ready: " + command);
            }
            return new Ready(p, dt, line);
        }

        /** The port in a {@code ready <port>} line. */
        int port() {
            return Integer.parseInt(line.substring("ready ".length()).trim());
        }

        /** Closes its input (it exits by itself) and waits for the exit. */
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
