package pulsar.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.ActorProxy;
import pulsar.ActorProxyFuture;
import pulsar.Arbiter;
import pulsar.Concurrency;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;

/**
 * {@code pulsar demo}: starts the arbiter, spawns two thread actors and two process actors,
 * pings them, runs a function on one, sends a custom command, prints everyone's {@code info}
 * and how to reach the arbiter with {@code redis-cli}, then stops. Exit code 0 when every step
 * worked, 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an arbiter, spawn thread and process actors, talk to them, stop.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsOptions options;

    @Option(names = "--threads-only", description = "Spawn only thread actors (no child JVMs).")
    boolean threadsOnly;

    @Option(names = "--keep-running", description = "Stay up after the demo until Ctrl-C (or a 'stop' to the arbiter).")
    boolean keepRunning;

    private PrintWriter out;
    private boolean failed;

    /** A spawned actor as the demo saw it. */
    private record Spawned(String label, Concurrency kind, ActorProxy proxy) {
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Settings settings = options.settings();
        Arbiter arbiter = Pulsar.arbiter();
        arbiter.configure(settings);
        long t0 = System.nanoTime();
        arbiter.start().get(settings.handshakeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        try {
            InetSocketAddress at = arbiter.address();
            out.printf("Pulsar demo: pid %d, Java %s%n", ProcessHandle.current().pid(), Runtime.version());
            out.printf("arbiter running on %s:%d (%s)%n", at.getHostString(), at.getPort(), ms(System.nanoTime() - t0));
            endSection();
            List<Spawned> actors = spawnAll(settings);
            if (!actors.isEmpty()) {
                ping(actors);
                runFunction(actors);
                greet(actors);
                info(actors);
            }
            redisCli(settings, at);
            if (keepRunning) {
                waitForStop(arbiter, settings);
            }
        } finally {
            stop(arbiter, settings);
        }
        out.flush();
        return failed ? 1 : 0;
    }

    private List<Spawned> spawnAll(Settings settings) throws InterruptedException {
        Map<String, Spawn> specs = new LinkedHashMap<>();
        specs.put("thread-1", Spawn.thread().name("thread-1"));
        specs.put("thread-2", Spawn.thread().name("thread-2"));
        if (!threadsOnly) {
            specs.put("process-1", Spawn.process().name("process-1"));
            specs.put("process-2", Spawn.process().name("process-2"));
        }
        out.println("spawn (all at once; each completes after its handshake)");
        Map<String, CompletableFuture<ActorProxy>> futures = new LinkedHashMap<>();
        Map<String, long[]> took = new LinkedHashMap<>();
        for (Map.Entry<String, Spawn> e : specs.entrySet()) {
            long start = System.nanoTime();
            long[] elapsed = {0};
            ActorProxyFuture f = Pulsar.spawn(e.getValue());
            // Wait on the dependent future, so the time is recorded before the wait returns.
            futures.put(e.getKey(), f.whenComplete((p, x) -> elapsed[0] = System.nanoTime() - start));
            took.put(e.getKey(), elapsed);
        }
        List<Spawned> actors = new ArrayList<>();
        List<String> processFailures = new ArrayList<>();
        long wait = settings.handshakeTimeout().toMillis() + 5000;
        for (Map.Entry<String, CompletableFuture<ActorProxy>> e : futures.entrySet()) {
            String label = e.getKey();
            Concurrency kind = specs.get(label).concurrency();
            try {
                ActorProxy p = e.getValue().get(wait, TimeUnit.MILLISECONDS);
                actors.add(new Spawned(label, kind, p));
                out.printf("  %-10s %-8s aid %-9s %-22s %s%n", label, kind.wireName(), p.aid(),
                        p.address().getHostString() + ":" + p.address().getPort(), ms(took.get(label)[0]));
            } catch (ExecutionException | TimeoutException x) {
                failed = true;
                out.printf("  %-10s %-8s FAILED: %s%n", label, kind.wireName(), describe(x));
                if (kind == Concurrency.PROCESS) {
                    processFailures.add(label);
                }
            }
        }
        if (!processFailures.isEmpty()) {
            out.println("  process actors did not start: run 'pulsar demo --threads-only' to leave them out");
        }
        endSection();
        return actors;
    }

    private void ping(List<Spawned> actors) {
        out.println("ping (round trip through each mailbox)");
        for (Spawned a : actors) {
            long start = System.nanoTime();
            call(a, () -> a.proxy().send("ping"), reply -> String.format(Locale.ROOT, "%s  %s", reply, ms(System.nanoTime() - start)));
        }
        endSection();
    }

    private void runFunction(List<Spawned> actors) {
        Spawned target = actors.stream().filter(a -> a.kind() == Concurrency.PROCESS).findFirst().orElse(actors.get(0));
        out.printf("run (a serializable lambda executed on %s's event loop; this JVM is pid %d)%n",
                target.label(), ProcessHandle.current().pid());
        call(target, () -> target.proxy().run(DemoCommands.sumWhereYouRun(), 20, 22), String::valueOf);
        endSection();
    }

    private void greet(List<Spawned> actors) {
        out.println("greet (a custom @Command of " + DemoCommands.class.getName() + ", known to every actor)");
        for (Spawned a : actors) {
            call(a, () -> a.proxy().send("greet", "demo"), String::valueOf);
        }
        endSection();
    }

    private void info(List<Spawned> actors) {
        for (Spawned a : actors) {
            out.printf("info of %s (aid %s)%n", a.label(), a.proxy().aid());
            call(null, () -> a.proxy().send("info"), reply -> {
                printMap(reply, "  ");
                return null;
            });
            endSection();
        }
        out.println("info of the arbiter");
        call(null, () -> Pulsar.send("arbiter", "info"), reply -> {
            printMap(reply, "  ");
            return null;
        });
        endSection();
    }

    private void printMap(Object reply, String indent) {
        if (reply instanceof Map<?, ?> m) {
            Printer.map(out, m, indent);
        } else {
            out.println(indent + Printer.scalar(reply));
        }
    }

    private void redisCli(Settings settings, InetSocketAddress at) {
        Path secret = Pulsar.secretFile(settings).toAbsolutePath();
        String auth = "-a \"$(cat " + secret + ")\"";
        out.println("reach the arbiter with redis-cli (the secret is in " + secret + ", readable only by you):");
        out.printf("  redis-cli -p %d %s ping%n", at.getPort(), auth);
        out.printf("  redis-cli -p %d %s info%n", at.getPort(), auth);
        out.println("  every actor's mailbox answers the same way on its own port (ping, echo, info, greet you, ...)");
        endSection();
    }

    private void waitForStop(Arbiter arbiter, Settings settings) throws InterruptedException {
        Thread hook = new Thread(() -> {
            if (arbiter.isRunning()) {
                stop(arbiter, settings);
            }
        }, "pulsar-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("running until Ctrl-C (or 'redis-cli -p " + arbiter.address().getPort() + " ... stop')");
        out.flush();
        while (arbiter.isRunning()) {
            Thread.sleep(200);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is stopping the arbiter
        }
    }

    private void stop(Arbiter arbiter, Settings settings) {
        if (!arbiter.isRunning()) {
            return;
        }
        long start = System.nanoTime();
        int n = arbiter.actors().size();
        Duration bound = settings.stopGrace().multipliedBy(2).plusSeconds(10);
        try {
            arbiter.stop().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            out.printf("stopped the arbiter and its %d actor%s (%s)%n", n, n == 1 ? "" : "s", ms(System.nanoTime() - start));
        } catch (ExecutionException | TimeoutException e) {
            failed = true;
            out.println("the arbiter did not stop within " + bound.toSeconds() + " s: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    /** Makes one call, prints its label and its reply or failure on one line. */
    private void call(Spawned who, java.util.function.Supplier<CompletableFuture<Object>> send,
                      java.util.function.Function<Object, String> show) {
        String label = who == null ? "" : String.format("  %-10s ", who.label());
        try {
            Object reply = send.get().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String line = show.apply(reply);
            if (line != null) {
                out.println(label + line);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            failed = true;
            out.println(label + "FAILED: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = true;
        }
    }

    /** A blank line, flushed: the report keeps pace with the log lines on standard error. */
    private void endSection() {
        out.println();
        out.flush();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return "no answer within the time allowed";
        }
        if (t instanceof PulsarException p) {
            return p.toRespError();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
