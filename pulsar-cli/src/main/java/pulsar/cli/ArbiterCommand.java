package pulsar.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.Arbiter;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * {@code pulsar arbiter}: runs the arbiter in the foreground, in the main thread, until it is
 * stopped: by SIGTERM or SIGINT (Ctrl-C), which stop every actor gracefully within a bound, or
 * by a {@code stop} command sent to its mailbox. Exit code 0 after a stop, 1 if it could not
 * start.
 */
@Command(name = "arbiter", mixinStandardHelpOptions = true,
        description = "Run the arbiter in the foreground until SIGTERM/SIGINT or a 'stop' command.")
final class ArbiterCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ArbiterCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions options;

    private volatile boolean ready;
    private volatile boolean returned;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = options.settings();
        Arbiter arbiter = Pulsar.arbiter();
        arbiter.configure(settings);
        Duration bound = settings.stopGrace().multipliedBy(2).plusSeconds(10);
        Thread hook = new Thread(() -> {
            if (!arbiter.isRunning()) {
                return;
            }
            log.info("signal received: stopping the arbiter and its actors (at most {} s)", bound.toSeconds());
            try {
                arbiter.stop().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.error("the arbiter did not stop cleanly within {} s", bound.toSeconds(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pulsar-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread.ofPlatform().daemon().name("pulsar-arbiter-ready").start(() -> announce(arbiter, settings, out));
        try {
            arbiter.run(); // returns once the arbiter has stopped
        } finally {
            returned = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal is stopping us: the hook finishes the job
        }
        if (!ready) {
            spec.commandLine().getErr().println("pulsar arbiter: the arbiter could not start (see the log above)");
            return 1;
        }
        return 0;
    }

    /** Prints where the arbiter listens once it runs; {@link Arbiter#run()} holds the main thread. */
    private void announce(Arbiter arbiter, Settings settings, PrintWriter out) {
        try {
            while (!arbiter.isRunning()) {
                if (returned) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            return;
        }
        ready = true;
        InetSocketAddress at = arbiter.address();
        Path secret = Pulsar.secretFile(settings).toAbsolutePath();
        out.printf("arbiter running on %s:%d (pid %d); secret file %s%n", at.getHostString(), at.getPort(),
                ProcessHandle.current().pid(), secret);
        out.printf("  redis-cli -p %d -a \"$(cat %s)\" info%n", at.getPort(), secret);
        out.println("Ctrl-C or SIGTERM stops it gracefully");
        out.flush();
    }
}
