package pulsar.impl.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.impl.arbiter.Applications;
import pulsar.impl.arbiter.ArbiterImpl;
import pulsar.impl.command.CommandContext;

/** The running applications of an arbiter: one monitor each, by name. */
public final class Monitors implements Applications {
    private final ArbiterImpl arbiter;
    private final LongSupplier clock;
    private final Map<String, MonitorImpl> byName = new ConcurrentHashMap<>();
    private final List<MonitorImpl> ordered = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The applications of {@code arbiter}; {@code clock} (nanoseconds) drives the crash-loop brake. */
    public Monitors(ArbiterImpl arbiter, LongSupplier clock) {
        this.arbiter = arbiter;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Monitor> add(Application application) {
        String name = application.name();
        if (byName.containsKey(name)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "application " + name + " is already running in this arbiter: stop it first, or give the new one another name"));
        }
        pulsar.Settings settings;
        try {
            settings = application.apply(arbiter.settings());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        MonitorImpl[] self = new MonitorImpl[1];
        MonitorImpl m = new MonitorImpl(application, settings, arbiter, clock, () -> {
            byName.remove(name, self[0]);
            ordered.remove(self[0]);
        });
        self[0] = m;
        byName.put(name, m);
        ordered.add(m);
        return m.start();
    }

    @Override
    public Monitor get(String name) {
        return byName.get(name);
    }

    @Override
    public List<Monitor> all() {
        return new ArrayList<>(ordered);
    }

    @Override
    public Object command(CommandContext ctx) {
        return byName.get(ctx.string(0)).command(ctx);
    }

    @Override
    public void tick() {
        for (MonitorImpl m : ordered) {
            m.tick();
        }
    }

    @Override
    public CompletableFuture<Void> stopAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (MonitorImpl m : ordered) {
            all.add(m.stop().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
