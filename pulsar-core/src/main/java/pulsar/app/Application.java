package pulsar.app;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import pulsar.Actor;
import pulsar.Pulsar;
import pulsar.Settings;

/**
 * A service run by a pool of workers, after pulsar's {@code Application}: a name, settings, and
 * hooks that run where pulsar runs them. Subclass it, override the hooks you need (each does
 * nothing by default), and add it to the arbiter:
 * <pre>{@code
 * Monitor m = Pulsar.arbiter().add(new MyApp().setting("workers", 4)).join();
 * }</pre>
 * The monitor's hooks ({@code monitor*}) run on the arbiter's loop; the worker hooks
 * ({@code worker*}) run on each worker's loop, in its thread or child JVM. The application object
 * travels to every worker, so it must be serializable: keep its fields to settings and values.
 * A hook may return a stage so as not to block its loop.
 */
public abstract class Application implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    /** The param under which a worker finds its application. */
    public static final String WORKER_PARAM = "pulsar.app";

    private final String name;
    /** The param under which a worker finds its application's settings. */
    public static final String SETTINGS_PARAM = "pulsar.app.settings";

    private final Map<String, Object> overrides = new LinkedHashMap<>();

    /**
     * An application named {@code name} (letters, digits, {@code _ . -}; at most 64): the name
     * commands are sent to ({@code Pulsar.send(name, "info")}) and its workers' name.
     *
     * @throws IllegalArgumentException naming the bad name
     */
    protected Application(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals("arbiter") || name.equals("monitor")) {
            throw new IllegalArgumentException("application name: '" + name + "' must match " + NAME.pattern()
                    + " and not be 'arbiter' or 'monitor'");
        }
        this.name = name;
    }

    /** The application's name. */
    public final String name() {
        return name;
    }

    /**
     * Sets {@code name} for this application only (its workers, its monitor), over the
     * arbiter's settings; before the application is added.
     *
     * @return this application
     * @throws IllegalArgumentException naming the setting and the value when either is wrong
     * @throws IllegalStateException once the application runs
     */
    public final Application setting(String name, Object value) {
        Monitor running = Pulsar.arbiter().monitor(this.name);
        if (running != null && running.application() == this) {
            throw new IllegalStateException("application " + this.name + " runs: use config set on it instead");
        }
        Settings.defaults().with(name, value); // validates at once
        if (Settings.scope(name) == Settings.Scope.PROCESS) {
            throw new IllegalArgumentException("application setting " + name + ": it is the arbiter's alone");
        }
        overrides.put(name, value);
        return this;
    }

    /** The settings given with {@link #setting}, unmodifiable. */
    public final Map<String, Object> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    /**
     * The settings the application runs with: the arbiter's, with {@link #setting}s applied; the
     * same in the monitor and in every worker. Before it is added, the defaults with the
     * overrides applied.
     */
    public final Settings settings() {
        Actor actor = Pulsar.getActor();
        if (actor != null && actor.params().get(WORKER_PARAM) instanceof Application app && app.name.equals(name)
                && actor.params().get(SETTINGS_PARAM) instanceof Settings s) {
            return s;
        }
        Monitor m = Pulsar.arbiter().monitor(name);
        return m != null ? m.settings() : apply(Settings.defaults());
    }

    /** The arbiter's {@code base} settings with this application's overrides applied. */
    public final Settings apply(Settings base) {
        Settings s = base;
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return s;
    }

    /**
     * The application of that name as seen from the calling thread: in a worker, its own
     * application; in the arbiter's JVM, a running one; else {@code null}.
     */
    public static Application get(String name) {
        Actor actor = Pulsar.getActor();
        if (actor != null && actor.params().get(WORKER_PARAM) instanceof Application app && app.name().equals(name)) {
            return app;
        }
        Monitor m = Pulsar.arbiter().monitor(name);
        return m == null ? null : m.application();
    }

    /**
     * Whether this application's workers are CPU-bound actors ({@link pulsar.Spawn#cpuBound()}):
     * their {@code loop()} may block on long work while their mailbox answers on {@code ioLoop()}.
     * False by default (servers); a task queue's workers say true.
     */
    public boolean cpuBound() {
        return false;
    }

    /** On the arbiter's loop, once, before any worker is spawned. */
    public CompletionStage<?> monitorStart(Monitor monitor) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** On the arbiter's loop, once, when the application stops, before its workers are stopped. */
    public CompletionStage<?> monitorStopping(Monitor monitor) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** On the arbiter's loop, at every supervision round of the monitor. Must be quick. */
    public void monitorTask(Monitor monitor) throws Exception {
    }

    /** Adds entries to the monitor's {@code info}. */
    public void monitorInfo(Monitor monitor, Map<String, Object> info) throws Exception {
    }

    /** In each worker, on its (I/O) loop, once, before the worker counts as running. */
    public CompletionStage<?> workerStart(Actor worker) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** In each worker, on its loop, once, when it stops. */
    public CompletionStage<?> workerStopping(Actor worker) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** Adds entries to a worker's {@code info}. */
    public void workerInfo(Actor worker, Map<String, Object> info) throws Exception {
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
