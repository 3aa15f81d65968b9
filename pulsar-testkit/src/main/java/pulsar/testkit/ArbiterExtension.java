package pulsar.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import pulsar.Arbiter;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * Starts this JVM's arbiter before the test class, with a secret file of its own and the
 * settings a test asks for, and stops it afterwards: every actor stops, and any child process
 * still alive is killed and reported. Logs captured while a test ran are printed when it fails.
 * <pre>{@code
 * @RegisterExtension
 * static final ArbiterExtension arbiter = new ArbiterExtension();
 * }</pre>
 */
public final class ArbiterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private final UnaryOperator<Settings> customize;
    private Path secretFile;

    /** An arbiter with default settings (but its own secret file). */
    public ArbiterExtension() {
        this(UnaryOperator.identity());
    }

    /** An arbiter with settings changed by {@code customize}. */
    public ArbiterExtension(UnaryOperator<Settings> customize) {
        this.customize = customize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Arbiter arbiter = Pulsar.arbiter();
        arbiter.stop().get(30, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("pulsar-test-");
        secretFile = dir.resolve("secret");
        Settings settings = customize.apply(Settings.defaults().withSecretFile(secretFile.toString()));
        arbiter.configure(settings);
        LogCapture.install();
        arbiter.start().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        } finally {
            List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            if (secretFile != null) {
                Files.deleteIfExists(secretFile);
                Files.deleteIfExists(secretFile.getParent());
            }
            if (!left.isEmpty()) {
                throw new AssertionError("child processes outlived the arbiter and were killed: "
                        + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
            }
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LogCapture.dump(context.getDisplayName());
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        LogCapture.clear();
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        LogCapture.clear();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
    }

    /** The arbiter. */
    public Arbiter arbiter() {
        return Pulsar.arbiter();
    }

    /** The settings the arbiter runs with. */
    public Settings settings() {
        return Pulsar.arbiter().settings();
    }

    /** The mailbox secret of this arbiter. */
    public String secret() {
        return Pulsar.secret(settings());
    }

    /** The arbiter's mailbox port. */
    public int port() {
        return Pulsar.arbiter().address().getPort();
    }

    /** A generous deadline for async checks. */
    public static Duration deadline() {
        return Duration.ofSeconds(20);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
