package pulsar.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.Arbiter;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Settings;

/**
 * {@code pulsar send TARGET COMMAND ARGS...}: sends one command to a mailbox with Pulsar's own
 * client (authenticated with the secret file) and prints the reply. TARGET is a port on
 * 127.0.0.1, a {@code host:port}, or an aid (or {@code arbiter}) resolved through the arbiter
 * named by {@code --arbiter}. Arguments travel as strings; commands convert them. Exit code 0
 * with a reply, 1 with an error reply or no reply in time.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a command to a mailbox and print the reply.",
                "Examples:  pulsar send 41234 ping",
                "           pulsar send 127.0.0.1:41234 info",
                "           pulsar send --arbiter 41234 3f2a91c0 greet you"})
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET",
            description = "PORT (on 127.0.0.1), HOST:PORT, or an aid or 'arbiter' (with --arbiter).")
    String target;

    @Parameters(index = "1", paramLabel = "COMMAND", description = "The command: ping, echo, info, stop, whereis, ...")
    String command;

    @Parameters(index = "2..*", paramLabel = "ARGS", description = "The command's arguments, sent as strings.")
    List<String> args = new ArrayList<>();

    @Option(names = "--arbiter", paramLabel = "PORT|HOST:PORT",
            description = "The arbiter that resolves an aid TARGET (default: the arbiter_port setting, if set).")
    String arbiter;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
    String wait;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "The secret file (default: $PULSAR_SECRET_FILE, else ~/.pulsar/secret).")
    String secretFile;

    @Override
    public Integer call() throws Exception {
        Duration timeout = Settings.parseDuration("wait", wait);
        Arbiter local = Pulsar.arbiter();
        if (!local.isRunning()) {
            // The client authenticates with the secret of the (idle) arbiter's settings.
            Settings s = Settings.fromEnvironment();
            local.configure(secretFile == null ? s : s.withSecretFile(secretFile));
        }
        String address = resolve(local.settings(), timeout);
        return ArbiterClient.sendAndPrint(address, timeout, spec.commandLine().getOut(), spec.commandLine().getErr(), command,
                args.toArray());
    }

    /** The {@code host:port} to send to. */
    private String resolve(Settings settings, Duration timeout) throws Exception {
        String direct = hostPort(target);
        if (direct != null) {
            return direct;
        }
        String arbiterAddress = arbiter != null ? hostPort(arbiter)
                : settings.arbiterPort() != 0 ? "127.0.0.1:" + settings.arbiterPort() : null;
        if (arbiterAddress == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + target
                    + "' is not a port or host:port: to send to an aid, say where the arbiter is with --arbiter PORT");
        }
        if (target.equals("arbiter")) {
            return arbiterAddress;
        }
        try {
            return (String) Pulsar.send(arbiterAddress, "whereis", target).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PulsarException p ? p : e;
        }
    }

    /** {@code "127.0.0.1:PORT"} for a port, the text itself for a {@code host:port}, else {@code null}. */
    private String hostPort(String text) {
        String port = text;
        String host = "127.0.0.1";
        int colon = text.lastIndexOf(':');
        if (colon > 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (!port.matches("\\d{1,5}")) {
            if (colon > 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "'" + text + "': the port must be a number");
            }
            return null;
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + text + "': the port must be in [1, 65535]");
        }
        return host + ":" + p;
    }
}
