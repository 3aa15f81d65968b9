package pulsar.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;
import pulsar.Arbiter;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Settings;

/**
 * Options and sending for the commands that talk to a running arbiter: {@code --arbiter}
 * (default: the one {@code pulsar run} started last), {@code --secret-file}, {@code --wait}.
 */
final class ArbiterClient {
    @Option(names = "--arbiter", paramLabel = "HOST:PORT",
            description = "The arbiter to talk to (default: the one 'pulsar run' started last, from its run file).")
    String arbiter;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "The secret file (default: $PULSAR_SECRET_FILE, else ~/.pulsar/secret).")
    String secretFile;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long to wait for the reply (default: ${DEFAULT-VALUE}).")
    String wait;

    /**
     * Sends {@code command} to the arbiter and prints the reply.
     *
     * @return 0 with a reply, 1 with an error reply or none in time
     */
    int call(PrintWriter out, PrintWriter err, String command, Object... args) throws Exception {
        Duration timeout = Settings.parseDuration("wait", wait);
        return sendAndPrint(address(), timeout, out, err, command, args);
    }

    /**
     * The arbiter's {@code host:port}, with this JVM's client set up to authenticate with the
     * secret file, for any send to it.
     */
    String address() throws java.io.IOException {
        Arbiter local = Pulsar.arbiter();
        if (!local.isRunning()) {
            Settings s = Settings.fromEnvironment();
            local.configure(secretFile == null ? s : s.withSecretFile(secretFile));
        }
        return arbiter != null ? (arbiter.contains(":") ? arbiter : "127.0.0.1:" + arbiter) : RunFile.arbiter();
    }

    /**
     * Sends {@code command} to the mailbox at {@code address} with Pulsar's client and prints the
     * reply, or the error reply, in one line.
     *
     * @return 0 with a reply, 1 with an error reply or none within {@code timeout}
     */
    static int sendAndPrint(String address, Duration timeout, PrintWriter out, PrintWriter err, String command, Object... args)
            throws Exception {
        try {
            Object reply = Pulsar.send(address, command, args).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Printer.reply(out, reply);
            out.flush();
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PulsarException p) {
                err.println("(error) " + p.toRespError());
                err.flush();
                return 1;
            }
            throw e;
        } catch (TimeoutException e) {
            err.println("(error) TIMEOUT no reply from " + address + " within " + timeout.toMillis() + " ms");
            err.flush();
            return 1;
        }
    }
}
