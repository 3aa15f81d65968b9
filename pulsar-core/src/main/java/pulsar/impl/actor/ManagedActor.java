package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    ManagedActor(String aid, Spawn spec, ActorProxy manager, Settings settings, MailboxConfig config) {
        super(aid, spec.name() == null ? spec.concurrency().wireName() : spec.name(), spec.concurrency(), spec.params());
        this.spec = spec;
        this.manager = manager;
        this.settings = settings;
        this.mailboxConfig = config;
    }

    /** Starts a thread actor: a new loop thread, then {@link #boot()} on it. */
    static ManagedActor startThread(String aid, Spawn spec, ActorProxy manager, Settings settings, MailboxConfig config) {
        ManagedActor actor = new ManagedActor(aid, spec, manager, settings, config);
        actor.attach(EventLoopImpl.onNewThread("pulsar-" + actor.name + "-" + aid));
        return actor;
    }

    /** Makes {@code l} this actor's loop and boots the actor on it. */
    void attach(EventLoopImpl l) {
        loop = l;
        l.bind(this);
        l.terminated().whenComplete((v, e) -> stopped.complete(null));
        l.execute(this::boot);
    }

    /** Runs on the loop: mailbox, handshake, {@code onStart}, {@code running}. */
    final void boot() {
        state = ActorState.STARTING;
        startedNanos = System.nanoTime();
        Duration handshake = spec.handshakeTimeout() != null ? spec.handshakeTimeout() : settings.handshakeTimeout();
        try {
            hooks = Hooks.of(spec);
        } catch (Throwable t) {
            failStart("cannot create behaviour " + spec.behaviour() + ": " + t, false);
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
                        Duration every = settings.notifyInterval();
                        heartbeat = loop.callRepeatedly(every, this::heartbeat);
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
        Map<String, Object> report = report();
        report.put("state", "failed");
        report.put("error", error);
        Dispatcher.send(manager, "notify", report).whenComplete((v, e) -> loop.execute(this::stop));
    }

    Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aid", aid);
        m.put("name", name);
        m.put("kind", concurrency.wireName());
        m.put("state", state.wireName());
        InetSocketAddress a = address();
        m.put("address", a == null ? "" : a.getHostString() + ":" + a.getPort());
        m.put("pid", ProcessHandle.current().pid());
        return m;
    }

    private CompletableFuture<Object> notifyManager() {
        return Dispatcher.send(manager, "notify", report());
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
    CompletableFuture<Void> stopped() {
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
}
