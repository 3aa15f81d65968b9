package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/** {@code pulsar send} against an arbiter and a thread actor of this JVM. */
@Timeout(30)
class SendCommandTest {
    private static Path dir;
    private static ActorProxy actor;
    private static String arbiterPort;

    @BeforeAll
    static void startArbiterAndActor() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        dir = Files.createTempDirectory("pulsar-cli-send-");
        Pulsar.arbiter().configure(Settings.defaults().withSecretFile(dir.resolve("secret").toString()));
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        arbiterPort = String.valueOf(Pulsar.arbiter().address().getPort());
        actor = Pulsar.spawn(Spawn.thread().name("target")).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopArbiter() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        Files.deleteIfExists(dir.resolve("secret"));
        Files.deleteIfExists(dir);
    }

    private static String actorPort() {
        return String.valueOf(actor.address().getPort());
    }

    @Test
    void send_toAPort_printsTheReply() {
        CliRun run = CliRun.of("send", actorPort(), "ping");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo("PONG\n");
    }

    @Test
    void send_toHostPort_passesTheArguments() {
        CliRun run = CliRun.of("send", "127.0.0.1:" + actorPort(), "echo", "hello world");

        assertThat(run.out()).isEqualTo("hello world\n");
    }

    @Test
    void send_toAnAid_resolvesItThroughTheArbiter() {
        CliRun run = CliRun.of("send", "--arbiter", arbiterPort, actor.aid(), "greet", "you");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("hello you, from target (aid " + actor.aid());
    }

    @Test
    void send_info_printsAReadableMap() {
        CliRun run = CliRun.of("send", "--arbiter", arbiterPort, "arbiter", "info");

        assertThat(run.out()).containsPattern("(?m)^aid +arbiter$").containsPattern("(?m)^actors_total +\\d+$")
                .contains("actors (", actor.aid() + "  target ");
    }

    @Test
    void send_unknownCommand_printsTheErrorAndExits1() {
        CliRun run = CliRun.of("send", actorPort(), "no_such_command");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("(error) ERR unknown command 'no_such_command'\n");
    }

    @Test
    void send_unknownAid_printsNoActor() {
        CliRun run = CliRun.of("send", "--arbiter", arbiterPort, "nobody", "ping");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("NOACTOR");
    }

    @Test
    void send_toAnAidWithoutArbiter_explainsWhatIsMissing() {
        CliRun run = CliRun.of("send", actor.aid(), "ping");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--arbiter PORT");
    }
}
