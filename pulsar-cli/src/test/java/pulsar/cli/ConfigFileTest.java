package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import pulsar.Concurrency;
import pulsar.Settings;

/** {@code pulsar run --config FILE}, properties or TOML, resolved in this JVM (nothing is started). */
class ConfigFileTest {
    @TempDir
    Path dir;

    /** The settings {@code pulsar run ARGS} would run with. */
    private static Settings settings(String... args) {
        var cli = PulsarCli.commandLine();
        cli.parseArgs(args);
        return ((RunCommand) cli.getSubcommands().get("run").getCommand()).settings();
    }

    @Test
    void toml_valuesOfEachTomlType_reachTheSettings() throws Exception {
        Path file = dir.resolve("pulsar.toml");
        Files.writeString(file, """
                # pulsar run settings
                workers = 4
                bind = "127.0.0.1:8060"
                timeout = 30            # seconds
                graceful-timeout = "1.5s"
                keep_alive = 2.5
                max_requests = 1_000
                concurrency = 'thread'
                """);
        Settings s = settings("run", "echo", "--config", file.toString());
        assertThat(s.workers()).isEqualTo(4);
        assertThat(s.serverBind()).isEqualTo("127.0.0.1:8060");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.gracefulTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.keepAlive()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.maxRequests()).isEqualTo(1000);
        assertThat(s.concurrency()).isEqualTo(Concurrency.THREAD);
        assertThat(s.stopGrace()).isEqualTo(Settings.DEFAULT_STOP_GRACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"properties", "toml"})
    void precedence_defaultsFileEnvironmentCommandLine(String format) throws Exception {
        Path file = dir.resolve("pulsar." + format);
        Files.writeString(file, format.equals("toml")
                ? "# a config file\nworkers = 3\nmax_requests = 100\nkeep-alive = \"20s\"\n"
                : "# a config file\nworkers = 3\nmax_requests = 100\nkeep-alive = 20s\n");
        System.setProperty("pulsar.max_requests", "200");
        try {
            Settings s = settings("run", "echo", "--config", file.toString(), "--keep-alive", "30s");
            assertThat(s.workers()).isEqualTo(3);                                  // file
            assertThat(s.maxRequests()).isEqualTo(200);                            // environment over file
            assertThat(s.keepAlive()).isEqualTo(Duration.ofSeconds(30));           // command line over file
            assertThat(s.gracefulTimeout()).isEqualTo(Settings.DEFAULT_GRACEFUL_TIMEOUT); // default
        } finally {
            System.clearProperty("pulsar.max_requests");
        }
        assertThat(settings("run", "echo", "--config", file.toString(), "--max-requests", "300").maxRequests())
                .isEqualTo(300);                                                   // command line over file
    }

    @Test
    void spareProcesses_setAnywhere_evenToZero_isTold_soThatApplicationWorkersKeepNoDefaultSpare() throws Exception {
        assertThat(settings("run", "echo").spareProcessesGiven()).as("left at its default").isFalse();
        assertThat(settings("run", "echo", "--spare-processes", "0").spareProcessesGiven()).as("command line").isTrue();
        Path file = dir.resolve("spare.toml");
        Files.writeString(file, "spare_processes = 0\n");
        Settings fromFile = settings("run", "echo", "--config", file.toString());
        assertThat(fromFile.spareProcesses()).isZero();
        assertThat(fromFile.spareProcessesGiven()).as("config file").isTrue();
        System.setProperty("pulsar.spare_processes", "2");
        try {
            assertThat(settings("run", "echo").spareProcessesGiven()).as("environment").isTrue();
        } finally {
            System.clearProperty("pulsar.spare_processes");
        }
        assertThat(settings("run", "echo", "--workers", "3").spareProcessesGiven()).as("another setting").isFalse();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("unknown.toml", "workers = 2\nwokers = 3\n", ": unknown setting 'wokers' (value '3'); known settings: "),
                Arguments.of("value.toml", "workers = \"lots\"\n", ": setting workers: 'lots' is not an integer"),
                Arguments.of("negative.toml", "timeout = -1\n", ": setting timeout: "),
                Arguments.of("syntax.toml", "workers = 2\nbind = \"127.0.0.1:8060\"\ntimeout = \n", " line 3: not valid TOML: "),
                Arguments.of("table.toml", "workers = 2\n[server]\nbind = \":8060\"\n",
                        ": server is a table ([server] or server.x = ...), but settings are top-level keys (name = value)"),
                Arguments.of("dotted.toml", "server.bind = \":8060\"\n", ": server is a table"),
                Arguments.of("array.toml", "bind = [\":8060\", \":8061\"]\n",
                        ": bind = [\":8060\",\":8061\"] is an array, but a setting is one value (a list, such as bind, is one comma-separated string)"),
                Arguments.of("twice.toml", "max-requests = 1\nmax_requests = 2\n", ": setting max_requests is given twice (max-requests and max_requests)"),
                Arguments.of("unknown.properties", "wokers = 3\n", ": unknown setting 'wokers' (value '3')"),
                Arguments.of("value.properties", "workers = lots\n", ": setting workers: 'lots' is not an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFile_stopsTheStart_withOneLineNamingTheFileAndTheSetting(String name, String content, String expected) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        CliRun run = CliRun.of("run", "echo", "--config", file.toString());
        // exit 1, as for a bad setting on the command line: run could not start (2 is for picocli's usage errors)
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).doesNotContain("\tat ").endsWith("\n");
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("pulsar run: config file " + file).contains(expected);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aMissingFile_isOneLine() {
        Path file = dir.resolve("nowhere.toml");
        CliRun run = CliRun.of("run", "echo", "--config", file.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("pulsar run: config file " + file + ": no such file");
    }

    @Test
    void anEmptyTomlFile_changesNothing() throws Exception {
        Path file = dir.resolve("empty.toml");
        Files.writeString(file, "# nothing yet\n");
        assertThat(settings("run", "echo", "--config", file.toString())).isEqualTo(settings("run", "echo"));
        assertThatThrownBy(() -> settings("run", "echo", "--config", dir.resolve("none.properties").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith(": no such file");
    }
}
