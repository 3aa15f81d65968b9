package pulsar.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that talk to a running arbiter and its applications. */
final class ControlCommands {
    private ControlCommands() {
    }

    /** Shared parts: the arbiter client and the output streams. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ArbiterClient client;

        int send(String command, Object... args) throws Exception {
            return client.call(spec.commandLine().getOut(), spec.commandLine().getErr(), command, args);
        }
    }

    /** A command sent to the arbiter, or with an APP to that application's monitor: its picocli name is the wire command. */
    abstract static class ToArbiterOrApp extends Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "APP", description = "An application's name.")
        String app;

        @Override
        public Integer call() throws Exception {
            String command = spec.name();
            return app == null ? send(command) : send("app", app, command);
        }
    }

    /** {@code pulsar info [APP]}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the info of the running arbiter, or of one of its applications.")
    static final class Info extends ToArbiterOrApp {
    }

    /** {@code pulsar ping [APP]}. */
    @Command(name = "ping", mixinStandardHelpOptions = true, description = "Ping the running arbiter, or an application's monitor.")
    static final class Ping extends ToArbiterOrApp {
    }

    /** {@code pulsar stop [APP]}. */
    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the running arbiter gracefully (every application and actor), or one application.")
    static final class Stop extends ToArbiterOrApp {
    }

    /** {@code pulsar scale APP N}. */
    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "Grow or shrink an application's pool of workers to N (the oldest stop first).")
    static final class Scale extends Base {
        @Parameters(index = "0", paramLabel = "APP", description = "The application's name.")
        String app;

        @Parameters(index = "1", paramLabel = "N", description = "How many workers.")
        int workers;

        @Override
        public Integer call() throws Exception {
            return send("app", app, "scale", Integer.toString(workers));
        }
    }

    /** {@code pulsar config APP get PATTERN} and {@code pulsar config APP set NAME VALUE}. */
    @Command(name = "config", mixinStandardHelpOptions = true,
            description = {"Read or change an application's settings (or the arbiter's, with APP = arbiter).",
                    "Examples:  pulsar config echo get '*'",
                    "           pulsar config echo set workers 4"})
    static final class Config extends Base {
        @Parameters(index = "0", paramLabel = "APP", description = "The application's name, or 'arbiter'.")
        String app;

        @Parameters(index = "1", paramLabel = "get|set", description = "get PATTERN, or set NAME VALUE.")
        String verb;

        @Parameters(index = "2..*", paramLabel = "ARGS", description = "The pattern, or the name and the value.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<Object> all = new ArrayList<>();
            all.add(verb);
            all.addAll(args);
            if (app.equals("arbiter")) {
                return send("config", all.toArray());
            }
            all.add(0, "config");
            all.add(0, app);
            return send("app", all.toArray());
        }
    }
}
