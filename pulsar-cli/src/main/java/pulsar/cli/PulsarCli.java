package pulsar.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import pulsar.PulsarException;

/**
 * The {@code pulsar} command: {@code demo}, {@code run}, {@code arbiter}, the control commands
 * ({@code info}, {@code ping}, {@code stop}, {@code scale}, {@code config}), {@code secret} and
 * {@code send}.
 * The {@code ./pulsar} launcher at the repository root runs it with a JDK 21+ and an explicit
 * class path, which process actors inherit.
 */
@Command(name = "pulsar",
        mixinStandardHelpOptions = true,
        versionProvider = PulsarCli.Version.class,
        description = "Pulsar for Java: actors supervised by an arbiter, with RESP mailboxes.",
        subcommands = {DemoCommand.class, RunCommand.class, ArbiterCommand.class, ControlCommands.Info.class,
                ControlCommands.Ping.class, ControlCommands.Stop.class, ControlCommands.Scale.class, ControlCommands.Config.class,
                SettingsCommand.class, SecretCommand.class, SendCommand.class, TaskCommand.class, CommandLine.HelpCommand.class})
public final class PulsarCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in this JVM and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** A configured command line: usage errors exit 2, failures print one line and exit 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PulsarCli());
        RunCommand.addSettingOptions(cli.getSubcommands().get("run").getCommandSpec());
        cli.setExecutionExceptionHandler(PulsarCli::onFailure);
        return cli;
    }

    @Override
    public void run() {
        // No subcommand: picocli prints this message and the usage, and exits 2.
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Expected failures are one readable line; anything else keeps its stack trace. */
    private static int onFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        PrintWriter err = cli.getErr();
        if (t instanceof PulsarException p) {
            err.println("pulsar " + cli.getCommandName() + ": (error) " + p.toRespError());
        } else if (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof UncheckedIOException) {
            err.println("pulsar " + cli.getCommandName() + ": " + t.getMessage());
        } else {
            t.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The version of the running jar, from its manifest when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PulsarCli.class.getPackage().getImplementationVersion();
            return new String[] {"pulsar " + (v == null ? "(development build)" : v)
                    + " on Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
