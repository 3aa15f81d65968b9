package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import pulsar.ActorProxyFuture;
import pulsar.EventLoop;
import pulsar.Spawn;

/** The arbiter's view of one supervised actor. Confined to the arbiter's loop except for reads of volatile fields. */
final class ActorRecord {
    final String aid;
    final Spawn spec;
    final ActorProxyFuture future;
    final long spawnedNanos = System.nanoTime();
    volatile String name;
    volatile String state = "initial";
    volatile InetSocketAddress address;
    volatile long pid;
    volatile long lastNotifyNanos = System.nanoTime();
    volatile long stopRequestedNanos;
    volatile boolean abandoned;
    ManagedActor local;
    ChildProcess process;
    EventLoop.Handle handshakeTimer;

    ActorRecord(String aid, Spawn spec, ActorProxyFuture future) {
        this.aid = aid;
        this.spec = spec;
        this.future = future;
        this.name = spec.name() == null ? spec.concurrency().wireName() : spec.name();
    }

    ActorProxyImpl proxy() {
        return address == null ? null : new ActorProxyImpl(aid, name, address);
    }

    Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        long now = System.nanoTime();
        m.put("aid", aid);
        m.put("name", name);
        m.put("kind", spec.concurrency().wireName());
        m.put("pid", pid);
        m.put("state", state);
        m.put("address", address == null ? "" : address.getHostString() + ":" + address.getPort());
        m.put("uptime", round((now - spawnedNanos) / 1e9));
        m.put("last_notify_age", round((now - lastNotifyNanos) / 1e9));
        return m;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
