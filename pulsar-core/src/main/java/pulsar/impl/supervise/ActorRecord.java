package pulsar.impl.supervise;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pulsar.ActorExit;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.HostedProxy;

/**
 * The supervisor's view of one actor. Written on the arbiter's loop only; volatile fields are
 * read by {@code info} and {@code actors()} from other threads.
 */
public final class ActorRecord {
    final String aid;
    final long age;
    final Spawn spec;
    final CompletableFuture<ActorProxy> future;
    final long spawnedNanos;
    final long handshakeDeadlineNanos;
    volatile String name;
    volatile ActorState state = ActorState.INITIAL;
    volatile InetSocketAddress address;
    volatile long pid;
    volatile long lastNotifyNanos;
    volatile Duration timeout;
    volatile Duration stopGrace;
    /** When a stop was asked for, or 0. */
    long stopRequestedNanos;
    /** When it was killed, or 0. */
    long killedNanos;
    /** Why the supervisor stops it, when it does. */
    ActorExit.Cause stopCause;
    /** Whether it reported {@code running}. */
    boolean started;
    /** No longer live: given up, stopping or failed. */
    volatile boolean abandoned;
    LaunchedActor handle;

    ActorRecord(String aid, long age, Spawn spec, Settings settings, CompletableFuture<ActorProxy> future, long now) {
        this.aid = aid;
        this.age = age;
        this.spec = spec;
        this.future = future;
        this.name = spec.name() == null ? spec.concurrency().wireName() : spec.name();
        this.timeout = settings.timeout();
        this.stopGrace = settings.stopGrace();
        this.spawnedNanos = now;
        this.lastNotifyNanos = now;
        this.handshakeDeadlineNanos = now + settings.handshakeTimeout().toNanos();
    }

    /** The actor id. */
    public String aid() {
        return aid;
    }

    /** Its mailbox address once the handshake told it, else {@code null}. */
    public InetSocketAddress address() {
        return address;
    }

    /** Whether it counts as live: started, not failed, not being stopped by the supervisor. */
    public boolean isLive() {
        return future.isDone() && !future.isCompletedExceptionally() && !abandoned;
    }

    /** Its proxy, or {@code null} before its mailbox address is known. */
    public ActorProxy proxy() {
        InetSocketAddress a = address;
        if (a == null) {
            return null;
        }
        return spec.isColocated() ? new HostedProxy(aid, name, a) : new ActorProxyImpl(aid, name, a);
    }

    /** Whether it is a co-located actor, reached through its host's mailbox. */
    public boolean colocated() {
        return spec.isColocated();
    }

    Map<String, Object> info(long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aid", aid);
        m.put("name", name);
        m.put("kind", spec.concurrency().wireName());
        m.put("age", age);
        m.put("pid", pid);
        m.put("state", state.wireName());
        InetSocketAddress a = address;
        m.put("address", a == null ? "" : a.getHostString() + ":" + a.getPort());
        m.put("uptime", round((now - spawnedNanos) / 1e9));
        long beat = handle == null ? 0 : handle.aliveNanos(); // a co-located actor: its shared loop's beat
        m.put("last_notify_age", round((now - (beat != 0 && beat - lastNotifyNanos > 0 ? beat : lastNotifyNanos)) / 1e9));
        m.put("timeout", timeout.toMillis() / 1000.0);
        if (spec.isColocated()) {
            m.put("colocated", true);
        }
        return m;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
