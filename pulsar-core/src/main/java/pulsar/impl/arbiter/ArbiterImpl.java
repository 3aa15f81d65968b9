package pulsar.impl.arbiter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.Arbiter;
import pulsar.Concurrency;
import pulsar.EventLoop;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.actor.AbstractActor;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.ActorServices;
import pulsar.impl.command.CommandHandler;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.supervise.ActorRecord;
import pulsar.impl.supervise.Launcher;
import pulsar.impl.supervise.Supervisor;

/**
 * The arbiter's life cycle: its loop and mailbox, the supervision tick, spawning, and a stop
 * that stops every actor. Supervision decisions belong to the {@link Supervisor}, the wire
 * commands to {@link ArbiterCommands}. One per JVM; it can be stopped and started again.
 */
public final class ArbiterImpl extends AbstractActor implements Arbiter {
    private static final Logger log = LoggerFactory.getLogger(ArbiterImpl.class);
    /** How often the supervisor looks at deadlines: fine enough for a per-actor timeout of a second. */
    static final Duration TICK = Duration.ofMillis(100);

    private final Supervisor supervisor;
    private final ArbiterCommands commands;
    private volatile CompletableFuture<Arbiter> started = new CompletableFuture<>();
    private volatile CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
    private volatile MailboxConfig clientConfig;
    private EventLoop.Handle supervision;
    private volatile Applications applications;

    /** The arbiter of a JVM whose actors use {@code services} and are started by {@code launchers}. */
    public ArbiterImpl(ActorServices services, Map<Concurrency, Launcher> launchers) {
        super("arbiter", "arbiter", Concurrency.THREAD, Map.of(), services);
        this.settings = Settings.fromEnvironment();
        this.supervisor = new Supervisor(System::nanoTime, launchers, this::executeIfRunning);
        this.commands = new ArbiterCommands(this, supervisor);
    }

    /** Plugs in the application layer; called once by the runtime. */
    public void host(Applications applications) {
        this.applications = applications;
    }

    @Override
    public CompletableFuture<pulsar.app.Monitor> add(pulsar.app.Application application) {
        java.util.Objects.requireNonNull(application, "application");
        if (state != ActorState.RUNNING) {
            return CompletableFuture.failedFuture(new IllegalStateException("the arbiter is not running: call Pulsar.arbiter().start() first"));
        }
        CompletableFuture<pulsar.app.Monitor> added = new CompletableFuture<>();
        loop.execute(() -> applications.add(application).whenComplete((m, e) -> {
            if (e != null) {
                added.completeExceptionally(Failures.unwrap(e));
            } else {
                added.complete(m);
            }
        }));
        return added;
    }

    @Override
    public pulsar.app.Monitor monitor(String name) {
        Applications a = applications;
        return a == null ? null : a.get(name);
    }

    @Override
    public List<pulsar.app.Monitor> monitors() {
        Applications a = applications;
        return a == null ? List.of() : a.all();
    }

    Applications applications() {
        return applications;
    }

    /** The arbiter's {@code info} entry of actor {@code aid}, or {@code null} when it is not supervised. */
    public Map<String, Object> actorInfo(String aid) {
        ActorRecord r = supervisor.record(aid);
        return r == null ? null : supervisor.info(r);
    }

    /** Asks actor {@code aid} to stop; it is killed after its {@code stop_grace}. Call on the loop. */
    public void stopActor(String aid) {
        ActorRecord r = supervisor.record(aid);
        if (r != null) {
            supervisor.stop(r, ActorExit.Cause.STOPPED);
        }
    }

    @Override
    public boolean isArbiter() {
        return true;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized Arbiter configure(Settings settings) {
        if (state != ActorState.INITIAL && state != ActorState.STOPPED) {
            throw new IllegalStateException("configure: the arbiter is " + state.wireName() + "; stop it first");
        }
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.clientConfig = null;
        return this;
    }

    @Override
    protected boolean changeableAtRunTime(Settings.Scope scope) {
        return scope != Settings.Scope.PROCESS; // on the arbiter: the defaults of later spawns
    }

    @Override
    protected void reconfigure(Settings changed) {
        boolean spares = changed.spareProcesses() != settings.spareProcesses() || !changed.jvmOptions().equals(settings.jvmOptions());
        super.reconfigure(changed);
        if (spares) {
            supervisor.launchers().forEach(l -> l.prepare(changed));
        }
    }

    /** The configuration of connections this JVM opens to mailboxes. */
    public MailboxConfig clientConfig() {
        MailboxConfig c = mailboxConfig;
        if (c != null) {
            return c;
        }
        c = clientConfig;
        if (c == null) {
            clientConfig = c = MailboxConfig.of(settings);
        }
        return c;
    }

    private void prepare(EventLoopImpl newLoop) {
        if (state == ActorState.STOPPING) {
            throw new IllegalStateException("the arbiter is stopping: wait for stop() to complete before starting it again");
        }
        mailboxConfig = MailboxConfig.of(settings);
        state = ActorState.STARTING;
        started = new CompletableFuture<>();
        stopped = new CompletableFuture<>();
        loop = newLoop;
        loop.bind(this);
        loop.execute(this::boot);
    }

    @Override
    public synchronized CompletableFuture<Arbiter> start() {
        if (state == ActorState.RUNNING || state == ActorState.STARTING) {
            return started;
        }
        prepare(EventLoopImpl.onNewThread("pulsar-arbiter"));
        return started;
    }

    @Override
    public void run() {
        EventLoopImpl l = EventLoopImpl.forCallingThread("pulsar-arbiter");
        synchronized (this) {
            if (state == ActorState.RUNNING || state == ActorState.STARTING) {
                throw new IllegalStateException("the arbiter is already running");
            }
            prepare(l);
        }
        l.runInCallingThread();
        stopped.join();
    }

    private void boot() {
        startedNanos = System.nanoTime();
        openMailbox(settings.arbiterPort()).whenComplete((m, e) -> loop.execute(() -> {
            if (e != null) {
                log.error("the arbiter cannot open its mailbox on {}:{}", settings.bind(), settings.arbiterPort(), Failures.unwrap(e));
                state = ActorState.STOPPED;
                loop.stop().whenComplete((x, y) -> {
                    stopped.complete(null);
                    started.completeExceptionally(Failures.unwrap(e));
                });
                return;
            }
            state = ActorState.RUNNING;
            supervisor.launchers().forEach(l -> l.prepare(settings));
            supervision = loop.callRepeatedly(TICK, this::tick);
            log.info("arbiter running, mailbox {}:{}", m.address().getHostString(), m.address().getPort());
            started.complete(this);
        }));
    }

    @Override
    public boolean isRunning() {
        return state == ActorState.RUNNING;
    }

    @Override
    public List<ActorProxy> actors() {
        List<ActorProxy> out = new ArrayList<>();
        for (ActorRecord r : supervisor.records()) {
            if (r.isLive()) {
                out.add(r.proxy());
            }
        }
        return out;
    }

    @Override
    public EventLoop.Handle watch(ActorListener listener) {
        return supervisor.watch(listener);
    }

    /** This JVM's dispatcher: the {@code actor} command forwards through it. */
    pulsar.impl.mailbox.Dispatcher dispatcher() {
        return services.dispatcher();
    }

    ActorProxyImpl selfProxy() {
        return new ActorProxyImpl(aid, name, address());
    }

    /**
     * Successive aids of this JVM: a random start times an odd constant, a bijection of the 32-bit
     * ints, so the ids look random yet never repeat within a JVM (random ones collided once a
     * JVM held tens of thousands of actors, as co-located actors allow: 100,000 of them had a
     * two-in-three chance of a clash).
     */
    private static final java.util.concurrent.atomic.AtomicInteger AID_SEQUENCE =
            new java.util.concurrent.atomic.AtomicInteger(ThreadLocalRandom.current().nextInt());

    /** A new actor id: eight hex digits, never the same twice in this JVM. */
    public static String newAid() {
        return HexFormat.of().toHexDigits(AID_SEQUENCE.getAndIncrement() * 0x9E3779B9);
    }

    /**
     * Spawns an actor; callable from any thread while the arbiter runs.
     *
     * @return completes with its proxy after the handshake and {@code onStart}, or fails
     */
    public CompletableFuture<ActorProxy> spawn(String aid, Spawn spec) {
        CompletableFuture<ActorProxy> future = new CompletableFuture<>();
        if (state != ActorState.RUNNING) {
            future.completeExceptionally(new IllegalStateException("the arbiter is not running: call Pulsar.arbiter().start() first"));
            return future;
        }
        loop.execute(() -> {
            if (state != ActorState.RUNNING) {
                future.completeExceptionally(new IllegalStateException("the arbiter is stopping"));
                return;
            }
            Settings effective;
            try {
                effective = spec.settingsFor(settings);
            } catch (IllegalArgumentException e) {
                future.completeExceptionally(e);
                return;
            }
            supervisor.spawn(aid, spec, effective, selfProxy(), mailboxConfig, future);
        });
        return future;
    }

    private void tick() {
        supervisor.tick();
        Applications a = applications;
        if (a != null) {
            a.tick();
        }
    }

    void executeIfRunning(Runnable r) {
        EventLoopImpl l = loop;
        if (l != null && !l.netty().isShuttingDown()) {
            l.execute(r);
        } else {
            r.run();
        }
    }

    @Override
    protected CommandHandler ownCommand(String name) {
        CommandHandler h = commands.lookup(name);
        return h != null ? h : super.ownCommand(name);
    }

    /** The most actors the arbiter's {@code info} lists (the oldest); the {@code actors} command pages through all. */
    static final int INFO_ACTORS = 1000;

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = super.info();
        // a page, not the whole table: 100,000 co-located actors would make a reply of some 20 MB
        info.put("actors", supervisor.page(0, INFO_ACTORS));
        info.put("actors_total", supervisor.size());
        info.put("exited", supervisor.recentExits());
        List<Map<String, Object>> spares = new ArrayList<>();
        supervisor.launchers().forEach(l -> spares.addAll(l.spares()));
        info.put("spares", spares);
        info.put("settings", settings.toMap());
        return info;
    }

    @Override
    public CompletableFuture<Void> stop() {
        EventLoopImpl l;
        synchronized (this) {
            if (state == ActorState.INITIAL || state == ActorState.STOPPED) {
                return stopped;
            }
            l = loop;
        }
        l.execute(this::stopOnLoop);
        return stopped;
    }

    private void stopOnLoop() {
        if (state == ActorState.STOPPING || state == ActorState.STOPPED) {
            return;
        }
        state = ActorState.STOPPING;
        Applications apps = applications;
        CompletableFuture<Void> appsStopped = apps == null ? CompletableFuture.completedFuture(null) : apps.stopAll();
        // applications first (their hooks, their workers gracefully), then every actor left
        appsStopped.completeOnTimeout(null, settings.gracefulTimeout().toMillis() + settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((x, y) -> loop.execute(this::stopActors));
    }

    private void stopActors() {
        log.info("arbiter stopping {} actors", supervisor.records().size());
        List<CompletableFuture<Void>> children = new ArrayList<>();
        for (ActorRecord r : new ArrayList<>(supervisor.records())) {
            // a spawn still under way fails rather than hangs
            supervisor.failPending(r, new IllegalStateException("the arbiter stopped before actor " + r.aid() + " started"));
            children.add(supervisor.stop(r, ActorExit.Cause.STOPPED));
        }
        long grace = settings.stopGrace().toMillis();
        CompletableFuture.allOf(children.toArray(CompletableFuture[]::new))
                .orTimeout(grace + 1000, TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> loop.execute(() -> {
                    supervisor.killAll(); // no record outlives a stop
                    if (supervision != null) {
                        supervision.cancel();
                    }
                    List<CompletableFuture<Void>> closing = new ArrayList<>();
                    supervisor.launchers().forEach(l -> closing.add(l.close()));
                    CompletableFuture<Void> launchers = CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
                    runStopHookAndCloseMailbox().thenCombine(launchers.completeOnTimeout(null, grace, TimeUnit.MILLISECONDS), (x, y) -> null).whenComplete((x, y) -> {
                        EventLoopImpl l = loop;
                        services.dispatcher().closeConnections();
                        synchronized (this) {
                            state = ActorState.STOPPED;
                            mailboxConfig = null;
                        }
                        l.stop().whenComplete((a, b) -> {
                            log.info("arbiter stopped");
                            stopped.complete(null);
                        });
                    });
                }));
    }
}
