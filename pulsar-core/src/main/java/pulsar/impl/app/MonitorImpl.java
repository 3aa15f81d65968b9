package pulsar.impl.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.impl.actor.ConfigCommand;
import pulsar.impl.arbiter.ArbiterImpl;
import pulsar.impl.command.CommandContext;
import pulsar.impl.command.InfoText;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.resp.RespSimple;

/**
 * The monitor of one application, on the arbiter's loop: spawns its workers, replaces one as
 * soon as it exits (heard through the arbiter's exit listeners), scales the pool, applies the
 * crash-loop brake, and serves the commands sent to the application's name. Confined to the
 * arbiter's loop.
 */
final class MonitorImpl implements Monitor, ActorListener {
    private static final Logger log = LoggerFactory.getLogger(MonitorImpl.class);

    private enum State { STARTING, RUNNING, STOPPING, STOPPED }

    /** One worker as the monitor sees it. */
    private static final class Worker {
        final String aid;
        final long spawnOrder;
        ActorProxy proxy;
        boolean retiring;
        /** Replaced by a reload: stopped once a new worker runs. */
        boolean replaced;

        Worker(String aid, long spawnOrder) {
            this.aid = aid;
            this.spawnOrder = spawnOrder;
        }
    }

    private final Application app;
    private final ArbiterImpl arbiter;
    private final CrashLoopBrake brake;
    private final Runnable onStopped;
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final CompletableFuture<Monitor> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Settings settings;
    private volatile State state = State.STARTING;
    private EventLoop.Handle watch;
    private long spawnCount;
    private String lastFailure = "";
    private Throwable pendingFailure;

    MonitorImpl(Application app, Settings settings, ArbiterImpl arbiter, LongSupplier clock, Runnable onStopped) {
        this.app = app;
        this.settings = settings;
        this.arbiter = arbiter;
        this.brake = new CrashLoopBrake(clock);
        this.onStopped = onStopped;
    }

    @Override public String name() { return app.name(); }
    @Override public Application application() { return app; }
    @Override public Settings settings() { return settings; }
    @Override public EventLoop loop() { return arbiter.loop(); }
    @Override public CompletableFuture<Void> stopped() { return stopped; }
    @Override public boolean isRunning() { return state == State.RUNNING || state == State.STARTING; }

    /** Runs {@code monitorStart}, then spawns the workers; completes once they all run. */
    CompletableFuture<Monitor> start() {
        watch = arbiter.watch(this);
        stage(() -> app.monitorStart(this)).whenComplete((v, e) -> onLoop(() -> {
            if (e != null) {
                // the application's own start failed: not the brake, so not a PulsarException
                fail(new IllegalStateException("application " + name() + " stopped: monitorStart failed: " + describe(e), e));
                return;
            }
            log.info("application {} starting {} {} workers", name(), settings.workers(), settings.concurrency().wireName());
            spawnMissing();
            checkStarted();
        }));
        return started;
    }

    private void checkStarted() {
        if (state == State.STARTING && running() >= settings.workers()) {
            state = State.RUNNING;
            started.complete(this);
        }
    }

    private long running() {
        return workers.values().stream().filter(w -> w.proxy != null && !w.retiring).count();
    }

    private long active() {
        return workers.values().stream().filter(w -> !w.retiring).count();
    }

    /** Spawns workers until {@code workers} are running or starting. */
    private void spawnMissing() {
        while ((state == State.STARTING || state == State.RUNNING) && active() < settings.workers()) {
            spawnWorker();
        }
    }

    private Spawn workerSpec() {
        Spawn spec = Spawn.of(settings.concurrency()).name(app.name())
                .behaviour(WorkerBehaviour.class)
                .param(Application.WORKER_PARAM, app)
                .param(Application.SETTINGS_PARAM, settings)
                .setting("stop_grace", settings.gracefulTimeout())
                .setting("jvm_options", settings.jvmOptions().equals(Settings.DEFAULT_JVM_OPTIONS)
                        ? Settings.DEFAULT_WORKER_JVM_OPTIONS : settings.jvmOptions());
        if (app.cpuBound()) {
            spec = spec.cpuBound();
        }
        for (String name : app.overrides().keySet()) {
            Settings.Scope scope = Settings.scope(name);
            if (scope == Settings.Scope.SPAWN || scope == Settings.Scope.LIVE) {
                spec = spec.setting(name, settings.get(name) instanceof Double seconds ? seconds + "s" : String.valueOf(settings.get(name)));
            }
        }
        if (settings.concurrency() == pulsar.Concurrency.PROCESS && !settings.spareProcessesGiven()) {
            // a replacement takes a warm JVM instead of waiting for one to start
            spec = spec.setting("spare_processes", String.valueOf(Settings.DEFAULT_WORKER_SPARE_PROCESSES));
        }
        return spec;
    }

    private void spawnWorker() {
        String aid = ArbiterImpl.newAid();
        Worker w = new Worker(aid, ++spawnCount);
        workers.put(aid, w);
        arbiter.spawn(aid, workerSpec()).whenComplete((proxy, e) -> onLoop(() -> {
            if (e != null) {
                lastFailure = describe(e);
                return; // its exit (failed to start) reaches exited(), which replaces it or trips the brake
            }
            if (!workers.containsKey(aid)) {
                return;
            }
            w.proxy = proxy;
            log.info("application {}: worker {} runs (pid {})", name(), aid, pidOf(aid));
            workers.values().stream().filter(o -> o.replaced && o.retiring)
                    .min(java.util.Comparator.comparingLong(o -> o.spawnOrder)).ifPresent(old -> {
                        old.replaced = false; // stopped now: its replacement serves
                        arbiter.stopActor(old.aid);
                    });
            if (state == State.STOPPING || state == State.STOPPED) {
                arbiter.stopActor(aid);
            }
            checkStarted();
        }));
    }

    private Object pidOf(String aid) {
        Map<String, Object> info = arbiter.actorInfo(aid);
        return info == null ? "?" : info.get("pid");
    }

    @Override
    public void exited(ActorExit exit) {
        Worker w = workers.remove(exit.aid());
        if (w == null) {
            return;
        }
        log.info("application {}: worker {} exited: {} ({})", name(), exit.aid(), exit.description(),
                exit.cause().name().toLowerCase(java.util.Locale.ROOT));
        if (state == State.STOPPING) {
            if (workers.isEmpty()) {
                finishStop();
            }
            return;
        }
        if (state == State.STOPPED) {
            return;
        }
        if (exit.failedToStart()) {
            String why = exit.description() + (exit.lastOutput().isEmpty() ? "" : "; its last output:\n" + exit.lastOutput());
            lastFailure = lastFailure.isEmpty() || !exit.lastOutput().isEmpty() ? why : lastFailure;
            if (brake.failedStart(settings.crashLoopFailures(), settings.crashLoopWindow())) {
                fail(settings.crashLoopFailures() + " workers failed to start within " + settings.crashLoopWindow().toMillis()
                        + " ms (crash_loop_failures, crash_loop_window); the last: " + lastFailure);
                return;
            }
        }
        spawnMissing(); // a replacement at once, not at the next tick
    }

    /** The crash-loop brake or a failed hook: the application stops, with this cause. */
    private void fail(String cause) {
        fail(new PulsarException(FailureKind.REMOTE_ERROR, "application " + name() + " stopped: " + cause));
    }

    private void fail(RuntimeException failure) {
        log.error("{}", failure.getMessage());
        started.completeExceptionally(failure);
        stopWith(failure);
    }

    @Override
    public void scale(int n) {
        Settings changed = settings.withWorkers(n); // a bad n fails in the caller's thread
        onLoopAnyThread(() -> reconfigure(changed));
    }

    private void reconfigure(Settings changed) {
        int before = settings.workers();
        settings = changed;
        if (!isRunning()) {
            return;
        }
        if (changed.workers() > before) {
            spawnMissing();
        } else {
            long extra = active() - changed.workers();
            // Workers still starting first (they serve nobody yet: stopping a running one instead
            // could leave none serving), then the oldest, as gunicorn does when it scales down.
            List<Worker> oldest = workers.values().stream().filter(w -> !w.retiring)
                    .sorted(java.util.Comparator.comparing((Worker w) -> w.proxy != null).thenComparingLong(w -> w.spawnOrder))
                    .limit(Math.max(0, extra)).toList();
            for (Worker w : oldest) {
                w.retiring = true;
                arbiter.stopActor(w.aid);
            }
        }
        if (changed.workers() != before) {
            log.info("application {}: {} workers (was {})", name(), changed.workers(), before);
        }
    }

    @Override
    public void reload() {
        if (!arbiter.loop().inLoop()) {
            onLoop(this::reload);
            return;
        }
        if (state != State.RUNNING && state != State.STARTING) {
            return;
        }
        log.info("application {}: replacing its {} workers", name(), active());
        for (Worker w : workers.values()) {
            if (!w.retiring) {
                w.retiring = true;
                w.replaced = true;
            }
        }
        spawnMissing();
    }

    @Override
    public void retire(String aid) {
        if (!arbiter.loop().inLoop()) {
            onLoop(() -> retire(aid));
            return;
        }
        Worker w = workers.get(aid);
        if (w == null || w.retiring || (state != State.RUNNING && state != State.STARTING)) {
            return;
        }
        log.info("application {}: retiring worker {} (max_requests)", name(), aid);
        w.retiring = true;
        w.replaced = true; // stopped once its replacement runs
        spawnMissing();
    }

    @Override
    public List<ActorProxy> workers() {
        if (!arbiter.loop().inLoop()) {
            return fromLoop(this::workers);
        }
        List<ActorProxy> out = new ArrayList<>();
        workers.values().stream().sorted(java.util.Comparator.comparingLong(w -> w.spawnOrder))
                .filter(w -> w.proxy != null && !w.retiring).forEach(w -> out.add(w.proxy));
        return out;
    }

    @Override
    public Map<String, Object> info() {
        if (!arbiter.loop().inLoop()) {
            return fromLoop(this::info);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name());
        info.put("kind", "monitor");
        info.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        info.put("concurrency", settings.concurrency().wireName());
        info.put("workers_wanted", (long) settings.workers());
        List<Object> list = new ArrayList<>();
        for (Worker w : workers.values()) {
            Map<String, Object> a = arbiter.actorInfo(w.aid);
            Map<String, Object> m = new LinkedHashMap<>(a == null ? Map.of("aid", w.aid) : a);
            m.put("retiring", w.retiring);
            list.add(m);
        }
        info.put("workers", list);
        info.put("crash_loop_recent_failures", (long) brake.recentFailures());
        try {
            app.monitorInfo(this, info);
        } catch (Exception e) {
            log.warn("monitorInfo of application {} failed", name(), e);
            info.put("info_error", e.toString());
        }
        return info;
    }

    /** Serves {@code app NAME COMMAND ARGS...}; {@code ctx.args()} starts with the name. */
    Object command(CommandContext ctx) {
        String command = ctx.args().size() < 2 ? "info" : ctx.string(1).toLowerCase(java.util.Locale.ROOT);
        return switch (command) {
            case "info" -> ctx.protocol() == 2 ? InfoText.render(info()) : info();
            case "ping" -> RespSimple.PONG;
            case "workers" -> workers().stream().map(ActorProxy::aid).toList();
            case "scale" -> {
                if (ctx.args().size() != 3) {
                    throw new IllegalArgumentException("wrong number of arguments: app NAME scale N");
                }
                long count;
                try {
                    count = ctx.integer(2);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("scale: '" + ctx.args().get(2) + "' is not a number of workers");
                }
                reconfigure(settings.with("workers", String.valueOf(count)));
                yield RespSimple.OK;
            }
            case "config" -> ConfigCommand.execute(ctx, 2, settings,
                    // workers: the pool changes now; the others apply to the workers spawned from now on;
                    // reuse_port decides who holds the listening sockets, which is settled at the start
                    setting -> Settings.scope(setting) != Settings.Scope.PROCESS && !setting.equals("reuse_port"),
                    "application " + name(), changed -> {
                        reconfigure(changed);
                        return RespSimple.OK;
                    });
            case "stop" -> {
                stop();
                yield RespSimple.OK;
            }
            case "reload" -> {
                reload();
                yield RespSimple.OK;
            }
            case "retire" -> {
                if (ctx.args().size() != 3) {
                    throw new IllegalArgumentException("wrong number of arguments: app NAME retire AID");
                }
                retire(ctx.string(2));
                yield RespSimple.OK;
            }
            default -> throw new PulsarException(FailureKind.UNKNOWN_COMMAND, "ERR unknown command '" + command
                    + "' for application " + name() + " (info, ping, workers, scale, config, reload, retire, stop)");
        };
    }

    /** {@code monitorTask}, at every supervision round. */
    void tick() {
        if (state != State.RUNNING) {
            return;
        }
        try {
            app.monitorTask(this);
        } catch (Exception e) {
            log.warn("monitorTask of application {} failed", name(), e);
        }
    }

    @Override
    public CompletableFuture<Void> stop() {
        if (arbiter.loop().inLoop()) {
            stopWith(null);
        } else {
            onLoop(() -> stopWith(null));
        }
        return stopped;
    }

    private void stopWith(Throwable failure) {
        if (state == State.STOPPING || state == State.STOPPED) {
            return;
        }
        state = State.STOPPING;
        pendingFailure = failure;
        started.completeExceptionally(failure != null ? failure
                : new IllegalStateException("application " + name() + " stopped before it started"));
        stage(() -> app.monitorStopping(this)).orTimeout(settings.gracefulTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> onLoop(() -> {
                    if (e != null) {
                        log.warn("monitorStopping of application {} failed: {}", name(), describe(e));
                    }
                    if (workers.isEmpty()) {
                        finishStop();
                        return;
                    }
                    for (Worker w : new ArrayList<>(workers.values())) {
                        arbiter.stopActor(w.aid);
                    }
                }));
    }

    private void finishStop() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.STOPPED;
        if (watch != null) {
            watch.cancel();
        }
        onStopped.run();
        log.info("application {} stopped", name());
        if (pendingFailure != null) {
            stopped.completeExceptionally(pendingFailure);
        } else {
            stopped.complete(null);
        }
    }

    private void onLoop(Runnable r) {
        arbiter.loop().execute(r);
    }

    private void onLoopAnyThread(Runnable r) {
        if (arbiter.loop().inLoop()) {
            r.run();
        } else {
            onLoop(r);
        }
    }

    /** {@code read} run on the arbiter's loop, for a caller on another thread: the monitor's state is confined to that loop. */
    private <T> T fromLoop(java.util.function.Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, this::onLoop).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private interface StageHook {
        CompletionStage<?> call() throws Exception;
    }

    private static CompletableFuture<?> stage(StageHook hook) {
        try {
            CompletionStage<?> s = hook.call();
            return s == null ? CompletableFuture.completedFuture(null) : s.toCompletableFuture();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = Failures.unwrap(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
