package pulsar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * {@code pulsar secret}: prints the path of the mailbox secret file, creating the file (mode 600)
 * when it does not exist yet; with {@code --show}, prints the secret itself instead.
 */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = {"Print the path of the mailbox secret file (created on first use, mode 600).",
                "Use it as: redis-cli -p PORT -a \"$(cat $(pulsar secret))\" ping"})
final class SecretCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "The secret file (default: $PULSAR_SECRET_FILE, else ~/.pulsar/secret).")
    String secretFile;

    @Option(names = "--show", description = "Print the secret itself rather than the file's path.")
    boolean show;

    @Override
    public Integer call() {
        Settings settings = Settings.fromEnvironment();
        if (secretFile != null) {
            settings = settings.withSecretFile(secretFile);
        }
        String secret = Pulsar.secret(settings); // creates the file when missing, checks its mode
        spec.commandLine().getOut().println(show ? secret : Pulsar.secretFile(settings).toAbsolutePath().toString());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
