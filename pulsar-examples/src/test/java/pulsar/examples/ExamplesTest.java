package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;
import pulsar.Settings;

/** Runs each example's main as a user would, with a secret file of its own; each must finish and stop the arbiter. */
@Timeout(60)
class ExamplesTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void ownSecretAndCapturedOutput() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        Pulsar.arbiter().configure(Settings.defaults().withSecretFile(dir.resolve("secret").toString()));
        stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
        stdout.print(output());
    }

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(120)
    void quickStart_talksToAThreadAndAProcessActorAndStops() throws Exception {
        QuickStart.main(new String[0]);

        assertThat(output())
                .contains("worker listens on /127.0.0.1:")
                .contains("PONG")
                .contains("hello you from child");
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }

    @Test
    void pingPong_playsTheWholeRallyAndStops() throws Exception {
        PingPong.main(new String[] {"1000"});

        assertThat(output()).contains("1000 hits between ping and pong").contains("caught the last ball");
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }

    @Test
    void echoServer_echoesALineAndStops() throws Exception {
        EchoServer.main(new String[0]);

        assertThat(output()).contains("serves TCP echo on 127.0.0.1:").contains("got back 'hello, echo'");
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }

    @Test
    void customCommand_repliesToEachCommandAndStops() throws Exception {
        CustomCommand.main(new String[0]);

        assertThat(output())
                .contains("add 2 40  -> 42")
                .contains("whoami    -> {aid=", "name=calc", "kind=thread")
                .contains("shout     -> DONE! (sent first, answered last)")
                .contains("add two 40 -> ERR ");
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
    }
}
