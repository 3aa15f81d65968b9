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

    /** Makes {@code l} this actor's loop and boots the actor on it. */
    public void attach(EventLoopImpl l) {
        loop = l;
        l.bind(this);
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
        openMailbox(0)
                .thenCompose(m -> notifyManager().orTimeout(handshake.toMillis(), TimeUnit.MILLISECONDS))
                .whenComplete((v, e) -> loop.execute(() -> {
                    if (e != null) {
                        log.warn("actor {} stops: handshake with its manager {} failed: {}", aid, manager.address(), describe(e));
                        stop();
                        return;
                    }
                    hooks.onStart(this).whenComplete((x, failure) -> loop.execute(() -> {
                        if (failure != null) {
                            failStart("onStart failed: " + describe(failure), true);
                            return;
                        }
                        if (state != ActorState.STARTING) {
                            return; // stopped meanwhile
                        }
                        state = ActorState.RUNNING;
                        notifyManager().whenComplete((y, z) -> loop.execute(() -> {
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
        services.dispatcher().send(manager, "notify", report(error).toMap()).whenComplete((v, e) -> loop.execute(this::stop));
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
                loop.execute(() -> {
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
            l.execute(this::stopOnLoop);
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
        runStopHookAndCloseMailbox().whenComplete((v, e) -> {
            state = ActorState.STOPPED;
            onStopped();
        });
    }

    /** The last step of a stop: ends the loop (a process actor's JVM then exits). */
    void onStopped() {
        loop.stop();
    }

    /**
     * Drops an actor that did not stop in time: interrupts its thread, closes its mailbox's
     * sockets even when its loop is stuck (so clients are refused rather than left hanging)
     * and ends the loop.
     */
    public void drop() {
        Thread t = loop == null ? null : loop.thread();
        if (t != null) {
            t.interrupt();
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

    /** The loop's thread, or {@code null}. */
    public Thread thread() {
        return loop == null ? null : loop.thread();
    }
}
