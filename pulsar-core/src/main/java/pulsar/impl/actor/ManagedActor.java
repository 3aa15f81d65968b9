package pulsar.impl.actor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.mailbox.MailboxServer;

/**
 * An actor with a manager (the arbiter): it opens its mailbox, hands its address to the manager
 * with a first {@code notify} (the handshake), runs {@code onStart}, reports {@code running},
 * then notifies periodically. When the handshake fails, or the manager no longer knows it or
 * is gone, it stops by itself. Thread actors and the main loop of process actors are this.
 */
public class ManagedActor extends AbstractActor {
    private static final Logger log = LoggerFactory.getLogger(ManagedActor.class);

    final Spawn spec;
    final ActorProxy manager;
    /** How long a stopping CPU-bound actor's request loop may take to show it is idle. */
    private static final long BUSY_PROBE_MS = 100;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private pulsar.EventLoop.Handle heartbeat;

    /**
     * An actor that will report to {@code manager}.
     *
     * @param age its spawn order, shown in {@code info}
     * @param settings the settings it runs with (the spec's overrides applied)
     */
    public ManagedActor(String aid, long age, Spawn spec, ActorProxy manager, Settings settings, MailboxConfig config,
                        ActorServices services) {
        super(aid, spec.name() == null ? spec.concurrency().wireName() : spec.name(), spec.concurrency(), spec.params(), services);
        this.age = age;
        this.spec = spec;
        this.manager = manager;
        this.settings = settings;
        this.mailboxConfig = config;
    }

    /** Starts a thread actor: a new loop thread, then {@link #boot()} on it. */
    public static ManagedActor startThread(String aid, long age, Spawn spec, ActorProxy manager, Settings settings,
                                           MailboxConfig config, ActorServices services) {
        ManagedActor actor = new ManagedActor(aid, age, spec, manager, settings, config, services);
        actor.attach(EventLoopImpl.onNewThread("pulsar-" + actor.name + "-" + aid));
        return actor;
    }

    /**
     * Starts a co-located actor on {@code shared}, a loop it shares with others: no thread, no
     * mailbox server, no heartbeat timer of its own. {@code leave} runs once when it has ended
     * (it gives its place on the loop back).
     */
    public static ManagedActor startColocated(String aid, long age, Spawn spec, ActorProxy manager, Settings settings,
                                              MailboxConfig config, ActorServices services, EventLoopImpl shared, Runnable leave) {
        ManagedActor actor = new ManagedActor(aid, age, spec, manager, settings, config, services);
        actor.loop = shared;
        actor.hostAddress = manager.address();
        actor.actorLoop = new pulsar.impl.loop.ActorLoop(shared, actor);
        actor.stopped.whenComplete((v, e) -> leave.run());
        shared.terminated().whenComplete((v, e) -> actor.stopped.complete(null));
        actor.actorLoop.execute(actor::boot);
        return actor;
    }

    /**
     * Makes {@code l} this actor's (I/O) loop and boots the actor on it; a CPU-bound actor also
     * gets its request loop, on a thread of its own.
     */
    public void attach(EventLoopImpl l) {
        loop = l;
        l.bind(this);
        if (spec.isCpuBound()) {
            requestLoop = EventLoopImpl.forRequests("pulsar-" + name + "-" + aid + "-requests", l);
            requestLoop.bind(this);
        }
        l.terminated().whenComplete((v, e) -> stopped.complete(null));
        l.execute(this::boot);
    }

    /** Runs on the loop: mailbox, handshake, {@code onStart}, {@code running}. */
    final void boot() {
        state = ActorState.STARTING;
        startedNanos = System.nanoTime();
        Duration handshake = settings.handshakeTimeout();
        try {
            hooks = Hooks.of(spec);
        } catch (Throwable t) {
            Throwable cause = Failures.unwrap(t);
            log.warn("actor {} ({}) cannot create its behaviour {}", aid, name, spec.behaviour(), cause);
            failStart("cannot create behaviour " + spec.behaviour() + ": " + cause, false);
            return;
        }
        CompletableFuture<?> reachable;
        if (actorLoop != null) {
            services.dispatcher().register(this); // reached through its host's mailbox, by aid
            reachable = CompletableFuture.completedFuture(null);
        } else {
            reachable = openMailbox(0);
        }
        reachable
                .thenCompose(m -> notifyManager().orTimeout(handshake.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((v, e) -> ioLoop().execute(() -> {
                    if (e != null) {
                        log.warn("actor {} stops: handshake with its manager {} failed: {}", aid, manager.address(), describe(e));
                        stop();
                        return;
                    }
                    hooks.onStart(this).whenComplete((x, failure) -> ioLoop().execute(() -> {
                        if (failure != null) {
                            failStart("onStart failed: " + describe(failure), true);
                            return;
                        }
                        if (state != ActorState.STARTING) {
                            return; // stopped meanwhile
                        }
                        state = ActorState.RUNNING;
                        notifyManager().whenComplete((y, z) -> ioLoop().execute(() -> {
                            if (z != null) {
                                log.warn("actor {} stops: manager refused it: {}", aid, describe(z));
                                stop();
                            }
                        }));
                        scheduleHeartbeat();
                    }));
                }));
    }

    private static String describe(Throwable e) {
        Throwable t = Failures.unwrap(e);
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        return t.getMessage() == null ? t.toString() : t.getClass().getName() + ": " + t.getMessage();
    }

    private void failStart(String error, boolean handshakeDone) {
        log.warn("actor {} ({}) failed to start: {}", aid, name, error);
        state = ActorState.FAILED;
        services.dispatcher().send(manager, "notify", report(error).toMap()).whenComplete((v, e) -> ioLoop().execute(this::stop));
    }

    /** What the manager hears with every {@code notify}. */
    ActorReport report(String error) {
        return new ActorReport(aid, name, concurrency, state, address(), ProcessHandle.current().pid(),
                settings.timeout(), settings.stopGrace(), error);
    }

    private CompletableFuture<Object> notifyManager() {
        return services.dispatcher().send(manager, "notify", report(null).toMap());
    }

    private void scheduleHeartbeat() {
        if (actorLoop != null) {
            return; // a co-located actor: its shared loop's beat stands for it (see SharedLoops)
        }
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        heartbeat = loop.callRepeatedly(settings.notifyInterval(), this::heartbeat);
    }

    @Override
    protected void reconfigure(Settings changed) {
        boolean newTimeout = !changed.timeout().equals(settings.timeout()) || !changed.stopGrace().equals(settings.stopGrace());
        super.reconfigure(changed);
        if (newTimeout && state == ActorState.RUNNING) {
            scheduleHeartbeat();
            heartbeat(); // the manager learns the new timeout at once
        }
    }

    private void heartbeat() {
        if (state != ActorState.RUNNING) {
            return;
        }
        notifyManager().whenComplete((v, e) -> {
            if (e != null && Failures.unwrap(e) instanceof PulsarException p
                    && (p.kind() == FailureKind.NO_SUCH_ACTOR || p.kind() == FailureKind.CONNECTION_LOST)) {
                ioLoop().execute(() -> {
                    log.warn("actor {} stops: its manager is gone or forgot it ({})", aid, p.getMessage());
                    stop();
                });
            }
        });
    }

    @Override
    public CompletableFuture<Void> stop() {
        EventLoopImpl l = loop;
        if (l == null) {
            state = ActorState.STOPPED;
            stopped.complete(null);
            return stopped;
        }
        try {
            ioLoop().execute(this::stopOnLoop);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop has already ended: the actor is stopped (or about to be)
        }
        return stopped;
    }

    /** Completes when the actor's loop has ended. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void stopOnLoop() {
        if (state == ActorState.STOPPING || state == ActorState.STOPPED) {
            return;
        }
        state = ActorState.STOPPING;
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        interruptBusyRequests();
        runStopHookAndCloseMailbox().whenComplete((v, e) -> {
            state = ActorState.STOPPED;
            onStopped();
        });
    }

    /** The last step of a stop: ends the loops (a process actor's JVM then exits). */
    void onStopped() {
        if (actorLoop != null) {
            stopped.complete(null); // its loop is shared and goes on
            return;
        }
        EventLoopImpl requests = requestLoop;
        if (requests == null) {
            loop.stop();
            return;
        }
        // The request loop ends once its current work is done (it was interrupted when busy);
        // work that ignores the interrupt is left behind after stop_grace (a process is killed).
        requests.stop();
        requests.terminated().orTimeout(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        Thread t = requests.thread();
                        log.warn("actor {}: its request loop did not end within stop_grace: leaving thread {} behind", aid,
                                t == null ? "?" : t.getName());
                    }
                    loop.stop();
                });
    }

    /**
     * A stopping CPU-bound actor interrupts its request loop's thread when that loop does not
     * run a probe within {@link #BUSY_PROBE_MS}: work blocking there learns of the stop, while an
     * idle loop is not disturbed.
     */
    private void interruptBusyRequests() {
        EventLoopImpl requests = requestLoop;
        if (requests == null) {
            return;
        }
        CompletableFuture<Void> probe = new CompletableFuture<>();
        try {
            requests.execute(() -> probe.complete(null));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // already ended
        }
        probe.orTimeout(BUSY_PROBE_MS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            Thread t = requests.thread();
            if (e != null && t != null) {
                log.info("actor {}: interrupting its busy request loop to stop", aid);
                t.interrupt();
            }
        });
    }

    /**
     * Drops an actor that did not stop in time: interrupts its thread, closes its mailbox's
     * sockets even when its loop is stuck (so clients are refused rather than left hanging)
     * and ends the loop.
     */
    public void drop() {
        if (actorLoop != null) {
            dropColocated();
            return;
        }
        Thread t = loop == null ? null : loop.thread();
        if (t != null) {
            t.interrupt();
        }
        EventLoopImpl requests = requestLoop;
        if (requests != null) {
            Thread r = requests.thread();
            if (r != null) {
                r.interrupt();
            }
            requests.stop();
        }
        services.dispatcher().unregister(this);
        MailboxServer m = mailbox;
        if (m != null) {
            m.forceClose();
        }
        if (loop != null) {
            loop.stop();
        }
    }

    /**
     * Drops a co-located actor that did not stop in time: when its own code holds the shared
     * loop, that thread is interrupted; it leaves the dispatcher and counts as stopped. Its
     * loop-mates and the loop go on.
     */
    private void dropColocated() {
        actorLoop.close(); // its pending timers and callbacks never run
        if (loop.runningFor() == this) {
            Thread t = loop.thread();
            if (t != null) {
                log.warn("actor {}: interrupting its code on shared loop {}", aid, t.getName());
                t.interrupt();
            }
        }
        services.dispatcher().unregister(this);
        state = ActorState.STOPPED;
        stopped.complete(null);
    }

    /** When this co-located actor's shared loop last showed it runs ({@code System.nanoTime()}), or 0 for other actors. */
    public long loopBeatNanos() {
        return actorLoop == null ? 0 : pulsar.impl.loop.SharedLoops.lastBeatNanos(loop);
    }

    /** The loop's thread, or {@code null}. */
    public Thread thread() {
        return loop == null ? null : loop.thread();
    }
}
