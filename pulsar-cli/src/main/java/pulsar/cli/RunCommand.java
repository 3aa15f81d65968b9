package pulsar.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import pulsar.Arbiter;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.app.ServerBinding;
import pulsar.app.SocketServerApplication;

/**
 * {@code pulsar run APP [--SETTING VALUE ...]}: runs an application (a bundled one by name, or
 * an {@link Application} class on the class path) in an arbiter of its own, in the foreground,
 * until it is stopped. Every setting of the registry is an option ({@code --max-requests 1000});
 * precedence: defaults &lt; {@code --config FILE} &lt; environment &lt; command line. Signals:
 * TERM and INT stop gracefully (a second INT at once), TTIN and TTOU add and remove a worker,
 * HUP replaces every worker. Exit codes: 0 after a graceful stop, 1 when it cannot start, 2 for
 * a usage error, 3 when the crash-loop brake stopped the application, 130 after a second INT.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an application with its pool of workers until stopped.",
                "APP: a bundled application (echo, helloworld, ...), or the class name of an Application with a public no-argument constructor.",
                "Every setting is an option; e.g.  pulsar run echo --workers 4 --bind 127.0.0.1:8060"},
        footer = {"", "Signals: TERM/INT stop gracefully (a second INT at once), TTIN/TTOU one worker more/less, HUP replaces every worker.",
                "Exit codes: 0 stopped gracefully, 1 could not start, 2 usage error, 3 crash-loop brake, 130 second INT."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    /** Exit code after the crash-loop brake stopped the application. */
    static final int EXIT_CRASH_LOOP = 3;
    /** Exit code after a second INT. */
    static final int EXIT_INTERRUPTED = 130;
    /** The application of pulsar-core that ships with Pulsar; the others are services (see {@link #bundled()}). */
    private static final Map<String, java.util.function.Supplier<Application>> CORE = Map.of("echo", SocketServerApplication::echo);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP", description = "A bundled application (echo, helloworld, ...), or an Application class name.")
    String app;

    @Option(names = "--config", paramLabel = "FILE", order = -1,
            description = "A properties file of settings (name = value, one per line; # comments).")
    Path config;

    /** Adds an option per setting of the registry to the {@code run} command. */
    static void addSettingOptions(CommandSpec run) {
        int order = 0;
        for (String name : Settings.names()) {
            run.addOption(OptionSpec.builder("--" + name.replace('_', '-'))
                    .paramLabel("VALUE").type(String.class).order(order++)
                    .description(Settings.description(name) + " (default: " + shown(Settings.defaults().get(name)) + ")")
                    .build());
        }
    }

    private static String shown(Object v) {
        String s = v instanceof Double d && d == Math.rint(d) ? d.longValue() + "s" : v instanceof Double d ? d + "s" : String.valueOf(v);
        return s.isEmpty() ? "none" : s;
    }

    /** The settings: defaults, then the config file, then the environment, then the options given. */
    Settings settings() throws IOException {
        Settings s = Settings.defaults();
        if (config != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("--config " + config + ": " + e.getMessage());
            }
            Map<String, String> values = new LinkedHashMap<>();
            p.stringPropertyNames().stream().sorted().forEach(k -> values.put(k.trim().replace('-', '_').toLowerCase(Locale.ROOT), p.getProperty(k)));
            s = s.withAll(values, "config file " + config);
        }
        s = s.withEnvironment();
        Map<String, String> given = new LinkedHashMap<>();
        for (String name : Settings.names()) {
            OptionSpec o = spec.findOption("--" + name.replace('_', '-'));
            if (o != null && o.getValue() != null) {
                given.put(name, o.getValue());
            }
        }
        return s.withAll(given, "command line");
    }

    /**
     * The bundled applications by name: {@code echo}, and every {@link Application} provided as a
     * service ({@code META-INF/services/pulsar.app.Application} on the class path, {@code provides}
     * on the module path), as pulsar-examples provides {@code helloworld}. A provider that cannot be
     * created is skipped with a warning.
     */
    static Map<String, java.util.function.Supplier<Application>> bundled() {
        Map<String, java.util.function.Supplier<Application>> all = new java.util.TreeMap<>(CORE);
        java.util.Iterator<java.util.ServiceLoader.Provider<Application>> providers =
                java.util.ServiceLoader.load(Application.class).stream().iterator();
        while (providers.hasNext()) {
            try {
                java.util.ServiceLoader.Provider<Application> p = providers.next();
                all.putIfAbsent(p.get().name(), p::get);
            } catch (java.util.ServiceConfigurationError | RuntimeException e) {
                log.warn("a bundled application cannot be created: {}", e.toString());
            }
        }
        return all;
    }

    /** The application {@code app} names. */
    Application application() {
        Map<String, java.util.function.Supplier<Application>> bundled = bundled();
        if (bundled.containsKey(app)) {
            return bundled.get(app).get();
        }
        try {
            Class<?> type = Class.forName(app, true, Thread.currentThread().getContextClassLoader());
            if (!Application.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("'" + app + "' is not an Application (pulsar.app.Application)");
            }
            return (Application) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no application '" + app + "': not a bundled one (" + String.join(", ", bundled.keySet())
                    + ") nor a class on the class path");
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot create application " + app + ": " + e);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings = settings();
        Application application = application();
        logLevel(settings.logLevel());
        PidFile pid = PidFile.claim(settings.pidFile());
        try {
            return run(settings, application, out, err);
        } finally {
            pid.release();
        }
    }

    private int run(Settings settings, Application application, PrintWriter out, PrintWriter err) throws Exception {
        Arbiter arbiter = Pulsar.arbiter();
        arbiter.configure(settings);
        arbiter.start().get(60, TimeUnit.SECONDS);
        Signals signals = new Signals();
        Monitor monitor;
        try {
            monitor = arbiter.add(application).get();
        } catch (ExecutionException e) {
            err.println("pulsar run: " + e.getCause().getMessage());
            err.flush();
            arbiter.stop().get(settings.gracefulTimeout().plus(settings.stopGrace()).toSeconds() + 10, TimeUnit.SECONDS);
            return e.getCause() instanceof pulsar.PulsarException ? EXIT_CRASH_LOOP : 1;
        }
        InetSocketAddress at = arbiter.address();
        String hostPort = at.getHostString() + ":" + at.getPort();
        RunFile.write(hostPort);
        try {
            if (application instanceof SocketServerApplication server) {
                out.printf("%s listening on %s%n", application.name(),
                        String.join(", ", server.serverConfig(monitor.settings()).bind().stream().map(ServerBinding::toString).toList()));
            }
            out.printf("%s: %d %s workers; arbiter %s (pid %d)%n", application.name(), monitor.settings().workers(),
                    monitor.settings().concurrency().wireName(), hostPort, ProcessHandle.current().pid());
            out.printf("  pulsar info %s | pulsar scale %s N | pulsar stop%n", application.name(), application.name());
            out.flush();
            signals.install(arbiter, monitor);
            int code = waitForTheEnd(arbiter, monitor, err);
            return signals.interrupted() ? EXIT_INTERRUPTED : code;
        } finally {
            RunFile.remove();
        }
    }

    /** Sets the root log level of this process (Logback), as {@code log_level} says. */
    static void logLevel(String level) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.toLevel(level));
        }
    }

    /**
     * The {@code pid_file}: written at start, removed at exit; refused when a live process holds it.
     *
     * @param path the file, or {@code null} for none
     */
    record PidFile(Path path) {
        static PidFile claim(String file) throws IOException {
            if (file.isEmpty()) {
                return new PidFile(null);
            }
            Path p = Path.of(file);
            if (Files.exists(p)) {
                String old = Files.readString(p).trim();
                boolean alive = old.matches("\\d+") && ProcessHandle.of(Long.parseLong(old)).map(ProcessHandle::isAlive).orElse(false);
                if (alive) {
                    throw new IllegalStateException("pid_file " + p + " names process " + old + ", which is running: is another 'pulsar run' using it?");
                }
            }
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            return new PidFile(p);
        }

        void release() {
            if (path != null) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }
        }
    }

    private int waitForTheEnd(Arbiter arbiter, Monitor monitor, PrintWriter err) throws Exception {
        int code = 0;
        try {
            monitor.stopped().get();
        } catch (ExecutionException e) {
            err.println("pulsar run: " + e.getCause().getMessage());
            err.flush();
            code = EXIT_CRASH_LOOP;
        }
        // the application has stopped (a signal, 'pulsar stop', the brake): so does its arbiter
        arbiter.stop().get(monitor.settings().gracefulTimeout().plus(monitor.settings().stopGrace()).toSeconds() + 30, TimeUnit.SECONDS);
        return code;
    }

    /** What the master does on signals; see the class comment. */
    static final class Signals {
        private final AtomicInteger interrupts = new AtomicInteger();

        boolean interrupted() {
            return interrupts.get() > 1;
        }

        void install(Arbiter arbiter, Monitor monitor) {
            handle("TERM", s -> graceful(arbiter, "TERM"));
            handle("INT", s -> {
                if (interrupts.incrementAndGet() == 1) {
                    graceful(arbiter, "INT");
                } else {
                    log.warn("second INT: stopping at once");
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    Runtime.getRuntime().halt(EXIT_INTERRUPTED);
                }
            });
            handle("TTIN", s -> monitor.loop().execute(() -> monitor.scale(monitor.settings().workers() + 1)));
            handle("TTOU", s -> monitor.loop().execute(() -> monitor.scale(Math.max(0, monitor.settings().workers() - 1))));
            handle("HUP", s -> monitor.loop().execute(monitor::reload));
        }

        private static void graceful(Arbiter arbiter, String signal) {
            log.info("{}: stopping gracefully", signal);
            CompletableFuture.runAsync(arbiter::stop);
        }

        @SuppressWarnings("restriction")
        private static void handle(String name, sun.misc.SignalHandler handler) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException e) {
                log.debug("signal {} cannot be handled here: {}", name, e.getMessage());
            }
        }
    }
}
