package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import pulsar.Settings;

class PulsarCliTest {
    @TempDir
    Path dir;

    @Test
    void arbiterOptions_becomeTheSettings() {
        CommandLine cli = PulsarCli.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("arbiter", "--bind", "0.0.0.0", "--port", "7100",
                "--timeout", "10s", "--serialization-allow", "com.acme.**", "--secret-file", "/tmp/some-secret");
        ArbiterCommand arbiter = parsed.subcommand().commandSpec().commandLine().getCommand();

        Settings s = arbiter.options.settings();

        assertThat(s.bind()).isEqualTo("0.0.0.0");
        assertThat(s.arbiterPort()).isEqualTo(7100);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.serializationAllow()).isEqualTo("com.acme.**");
        assertThat(s.secretFile()).isEqualTo("/tmp/some-secret");
    }

    @Test
    void noOptions_leaveTheEnvironmentSettings() {
        CommandLine.ParseResult parsed = PulsarCli.commandLine().parseArgs("demo");
        DemoCommand demo = parsed.subcommand().commandSpec().commandLine().getCommand();

        assertThat(demo.options.settings()).isEqualTo(Settings.fromEnvironment());
        assertThat(demo.threadsOnly).isFalse();
        assertThat(demo.keepRunning).isFalse();
    }

    @Test
    void badDuration_failsWithOneLineNamingTheSetting() {
        CliRun run = CliRun.of("arbiter", "--timeout", "soon", "--secret-file", dir.resolve("s").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("pulsar arbiter: setting timeout: 'soon' is not a duration").doesNotContain("\tat ");
    }

    @Test
    void badPort_failsNamingTheSetting() {
        CliRun run = CliRun.of("demo", "--port", "70000", "--secret-file", dir.resolve("s").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("setting arbiter_port: 70000");
    }

    @Test
    void unknownOption_exits2WithUsage() {
        CliRun run = CliRun.of("demo", "--no-such-option");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--no-such-option'").contains("Usage: pulsar demo");
    }

    @Test
    void noSubcommand_exits2AndListsThem() {
        CliRun run = CliRun.of();

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("demo", "arbiter", "secret", "send");
    }

    @Test
    void help_listsEverySubcommand() {
        CliRun run = CliRun.of("--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("demo", "arbiter", "secret", "send");
    }

    @Test
    void send_withoutCommand_exits2() {
        CliRun run = CliRun.of("send", "7000");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'COMMAND'");
    }

    @Test
    void secret_createsAnOwnerOnlyFileAndPrintsItsPath() throws Exception {
        Path file = dir.resolve("sub").resolve("secret");

        CliRun run = CliRun.of("secret", "--secret-file", file.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out().strip()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void secretShow_printsTheSecretOfTheFile() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "s3cr3t-word\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        CliRun run = CliRun.of("secret", "--show", "--secret-file", file.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out().strip()).isEqualTo("s3cr3t-word");
    }

    @Test
    void secret_readableByOthers_isRefusedWithTheFix() throws Exception {
        Path file = dir.resolve("open-secret");
        Files.writeString(file, "s3cr3t-word\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        CliRun run = CliRun.of("secret", "--secret-file", file.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("chmod 600").doesNotContain("s3cr3t-word");
    }
}
