package pulsar.queue.impl;

import java.time.InstantSource;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.Pulsar;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueLimits;

/**
 * What the queue holds once per JVM: the task registry and the shared embedded backend (the
 * arbiter's queue). When an actor exits, the arbiter's supervisor tells the shared backend,
 * which gives the actor's leased tasks back ({@code release(aid)}).
 */
public final class QueueRuntime {
    private static final TaskRegistry REGISTRY = new TaskRegistry();
    private static final Object LOCK = new Object();
    private static EmbeddedBackend local; // guarded by LOCK
    private static boolean watching; // guarded by LOCK

    private QueueRuntime() {
    }

    /** This JVM's tasks. */
    public static TaskRegistry registry() {
        return REGISTRY;
    }

    /** A new private embedded backend. */
    public static QueueBackend newEmbedded(InstantSource clock, QueueLimits limits) {
        return new EmbeddedBackend(clock, limits, true);
    }

    /** The shared embedded backend, made on first use. */
    public static QueueBackend local() {
        synchronized (LOCK) {
            if (local == null) {
                local = new EmbeddedBackend(InstantSource.system(), QueueLimits.defaults(), false);
            }
            watchExits();
            return local;
        }
    }

    /** Replaces the shared embedded backend; the old one is shut down. */
    public static QueueBackend resetLocal(InstantSource clock, QueueLimits limits) {
        EmbeddedBackend old;
        EmbeddedBackend fresh = new EmbeddedBackend(clock, limits, false);
        synchronized (LOCK) {
            old = local;
            local = fresh;
            watchExits();
        }
        if (old != null) {
            old.shutdown();
        }
        return fresh;
    }

    /** The supervisor outlives arbiter restarts, so one listener per JVM is enough. */
    private static void watchExits() {
        if (watching) {
            return;
        }
        watching = true;
        Pulsar.arbiter().watch(new ActorListener() {
            @Override
            public void exited(ActorExit exit) {
                EmbeddedBackend b;
                synchronized (LOCK) {
                    b = local;
                }
                if (b != null) {
                    b.release(exit.aid());
                }
            }
        });
    }
}
