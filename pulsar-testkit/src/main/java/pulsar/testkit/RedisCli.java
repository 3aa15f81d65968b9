package pulsar.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code redis-cli} against a mailbox, with a timeout; the process never outlives the call. */
public final class RedisCli {
    private RedisCli() {
    }

    /** The result of one {@code redis-cli} run. */
    public record Result(int exitCode, String output) {
    }

    /** Whether {@code redis-cli} is installed. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("redis-cli", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code redis-cli -h 127.0.0.1 -p port [options...] command...}; {@code stdin} (may be
     * null) is written to its standard input.
     */
    public static Result run(int port, List<String> options, String stdin, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(options);
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("REDISCLI_HISTFILE", "/dev/null");
        Process p = pb.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("redis-cli " + cmd + " did not finish within 20 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs one command authenticated with {@code secret} and returns its output, trimmed. */
    public static String call(int port, String secret, String... command) throws IOException, InterruptedException {
        Result r = run(port, List.of("--no-auth-warning", "-a", secret), null, command);
        return r.output().trim();
    }
}
