package pulsar.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} against a server, with a timeout; the process never outlives the call. */
public final class Curl {
    private Curl() {
    }

    /**
     * Runs {@code curl -s --max-time 20 args...} and returns what it printed (standard output and
     * error), with {@code CRLF} turned into {@code LF}: with {@code -i}, the response's head and body.
     */
    public static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("curl " + cmd + " did not finish within 30 s");
            }
            return out.replace("\r\n", "\n");
        } finally {
            p.destroyForcibly();
        }
    }
}
