package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/**
 * {@code pulsar arbiter} in a JVM of its own, as the launcher runs it, reached over real sockets
 * by {@code pulsar send} from this JVM; stopped by SIGTERM and by a {@code stop} command.
 */
@Timeout(60)
class ArbiterCommandTest {
    private static final Pattern RUNNING = Pattern.compile("arbiter running on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;
    private Process arbiter;
    private Path out;
    private Path err;

    @BeforeEach
    void localArbiterStopped() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void killLeftovers() {
        if (arbiter != null) {
            arbiter.descendants().forEach(ProcessHandle::destroyForcibly);
            arbiter.destroyForcibly();
        }
    }

    private String startArbiter() throws Exception {
        out = dir.resolve("out.txt");
        err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        arbiter = new ProcessBuilder(List.of(java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), PulsarCli.class.getName(),
                "arbiter", "--secret-file", secretFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> RUNNING.matcher(Files.readString(out)).find() || !arbiter.isAlive());
        Matcher m = RUNNING.matcher(Files.readString(out));
        assertThat(m.find()).as("arbiter output: %s%s", Files.readString(out), Files.readString(err)).isTrue();
        return m.group(1);
    }

    private String secretFile() {
        return dir.resolve("secret").toString();
    }

    @Test
    void arbiter_answersSendsFromAnotherJvm_andStopsGracefullyOnSigterm() throws Exception {
        String port = startArbiter();

        CliRun ping = CliRun.of("send", "--secret-file", secretFile(), port, "ping");
        CliRun greet = CliRun.of("send", "--secret-file", secretFile(), port, "greet", "operator");

        assertThat(ping.out()).isEqualTo("PONG\n");
        assertThat(greet.out()).startsWith("hello operator, from arbiter");
        assertThat(Files.readString(out)).contains("redis-cli -p " + port + " -a \"$(cat " + secretFile() + ")\" info");

        arbiter.destroy(); // SIGTERM
        assertThat(arbiter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(arbiter.exitValue()).isEqualTo(143);
        assertThat(Files.readString(err)).contains("stopping the arbiter", "arbiter stopped");
    }

    @Test
    void arbiter_stopCommand_endsItWithExitCode0() throws Exception {
        String port = startArbiter();

        CliRun stop = CliRun.of("send", "--secret-file", secretFile(), port, "stop");

        assertThat(stop.out()).isEqualTo("OK\n");
        assertThat(arbiter.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(arbiter.exitValue()).isZero();
    }

    @Test
    void arbiter_portInUse_exits1() throws Exception {
        String port = startArbiter();
        Process second = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), PulsarCli.class.getName(),
                "arbiter", "--port", port, "--secret-file", secretFile()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("second.txt").toFile()).start();

        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("second.txt"))).contains("could not start");
    }
}
