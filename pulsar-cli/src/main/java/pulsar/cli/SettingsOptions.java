package pulsar.cli;

import picocli.CommandLine.Option;
import pulsar.Settings;

/**
 * The arbiter settings as command-line options. Each overrides the system property
 * {@code pulsar.<name>} and the environment variable {@code PULSAR_<NAME>}, which override the
 * defaults of {@link Settings}.
 */
final class SettingsOptions {
    @Option(names = "--bind", paramLabel = "HOST",
            description = "Host the mailboxes listen on (default: loopback, 127.0.0.1).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT",
            description = "The arbiter's mailbox port; 0 picks a free one (default: 0).")
    Integer port;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "An actor silent for longer is stopped, e.g. 30s, 500ms, 2m (default: 30s).")
    String timeout;

    @Option(names = "--serialization-allow", paramLabel = "PATTERNS",
            description = "Strict allow-list of classes mailboxes may deserialize (JDK filter patterns, "
                    + "';'-separated, e.g. 'com.acme.**'); required with a non-loopback --bind.")
    String serializationAllow;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "File holding the mailbox secret (default: $PULSAR_SECRET_FILE, else ~/.pulsar/secret).")
    String secretFile;

    /**
     * The settings: environment first, then these options.
     *
     * @throws IllegalArgumentException naming the setting when a value is invalid
     */
    Settings settings() {
        Settings s = Settings.fromEnvironment();
        if (bind != null) {
            s = s.withBind(bind);
        }
        if (port != null) {
            s = s.withArbiterPort(port);
        }
        if (timeout != null) {
            s = s.withTimeout(Settings.parseDuration("timeout", timeout));
        }
        if (serializationAllow != null) {
            s = s.withSerializationAllow(serializationAllow);
        }
        if (secretFile != null) {
            s = s.withSecretFile(secretFile);
        }
        return s;
    }
}
