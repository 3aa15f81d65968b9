package pulsar.impl.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Future;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel given to addReader/addWriter: at most one reader and one writer, and the Netty
 * registration of its {@link ChannelWatch}, which only {@code watch().ioLoop()}'s thread touches.
 * Every field is guarded by the registry's lock ({@code owner.lock}).
 */
final class WatchedChannel {
    private static final Logger log = LoggerFactory.getLogger(WatchedChannel.class);

    final ChannelWatches owner;
    final SelectableChannel channel;
    private final ChannelWatch watch;
    WatchCallback reader;
    WatchCallback writer;
    /** Out of the registry for good, registration cancelled. */
    boolean gone;
    /** Set and used on the io loop's thread. */
    IoRegistration registration;
    /** The {@link Interest} bits last submitted. */
    int armed;

    WatchedChannel(ChannelWatches owner, SelectableChannel channel, WatchBackend backend) {
        this.owner = owner;
        this.channel = channel;
        this.watch = backend.newWatch(this);
    }

    ChannelWatch watch() {
        return watch;
    }

    WatchCallback get(int kind) {
        return kind == Interest.READ ? reader : writer;
    }

    /** Sets the callback of {@code kind}; returns the one it replaces. */
    WatchCallback set(int kind, WatchCallback callback) {
        WatchCallback old = get(kind);
        if (kind == Interest.READ) {
            reader = callback;
        } else {
            writer = callback;
        }
        return old;
    }

    private int wanted() {
        return (reader != null ? Interest.READ : 0) | (writer != null ? Interest.WRITE : 0);
    }

    /** {@link WatchCallback#cancel()}: removes it unless it was replaced or cancelled already. */
    void cancel(WatchCallback callback) {
        synchronized (owner.lock) {
            if (callback.cancelled) {
                return;
            }
            callback.cancelled = true;
            if (get(callback.kind) != callback) {
                return;
            }
            set(callback.kind, null);
        }
        requestSync();
    }

    /** Runs {@link #sync()} on the io loop: at once when there, else later (then returns null). */
    Throwable requestSync() {
        IoEventLoop io = watch.ioLoop();
        if (io.inEventLoop()) {
            return sync();
        }
        try {
            io.execute(this::sync);
        } catch (RejectedExecutionException e) {
            // that loop is stopping: the registry forgets this watch when it terminates
        }
        return null;
    }

    /** Makes the Netty registration match the wanted interest; on the io loop's thread. */
    Throwable sync() {
        synchronized (owner.lock) {
            if (gone) {
                return null;
            }
            int wanted = channel.isOpen() && !owner.stopping() ? wanted() : 0;
            if (wanted == 0) {
                drop();
                return null;
            }
            try {
                if (registration == null) {
                    watch.beforeRegister();
                    Future<IoRegistration> f = watch.ioLoop().register(watch);
                    if (!f.isDone()) {
                        f.cancel(false);
                        throw new IllegalStateException("registration with " + watch.ioLoop() + " did not complete at once");
                    }
                    if (!f.isSuccess()) {
                        throw f.cause();
                    }
                    registration = f.getNow();
                    armed = -1;
                }
                int target = watch.armTarget(wanted);
                if (target != armed) {
                    registration.submit(watch.ops(target));
                    armed = target;
                }
                return null;
            } catch (Throwable t) {
                log.error("cannot watch {} on {}", channel, owner.loop, t);
                drop();
                return t;
            }
        }
    }

    /**
     * A closed channel forgets its callbacks at once, even when the registration is cancelled later
     * on another loop; under the lock. A closed channel cannot be added again, so it may leave the
     * registry before that.
     */
    void forgetIfClosed() {
        if (gone || channel.isOpen()) {
            return;
        }
        cancelCallbacks();
        owner.forget(this);
    }

    /** Forgets this watch and cancels its registration; under the lock, on the io loop's thread. */
    void drop() {
        if (gone) {
            return;
        }
        gone = true;
        owner.forget(this);
        cancelCallbacks();
        IoRegistration r = registration;
        registration = null;
        armed = 0;
        if (r != null) {
            try {
                r.cancel();
            } catch (Throwable t) {
                log.debug("cannot cancel the registration of {}", channel, t);
            }
        }
    }

    private void cancelCallbacks() {
        for (WatchCallback c : new WatchCallback[] {reader, writer}) {
            if (c != null) {
                c.cancelled = true;
            }
        }
        reader = null;
        writer = null;
    }

    /** The watching loop has ended: its IoHandler closed what was registered with it. */
    void loopTerminated() {
        if (watch.ioLoop() != owner.nettyLoop()) {
            requestSync(); // sees the loop stopped and cancels on the other loop
            return;
        }
        synchronized (owner.lock) {
            registration = null;
            drop();
        }
    }

    /** Netty closed the handle (its loop stops, or the NIO key became invalid). */
    void closedByNetty() {
        synchronized (owner.lock) {
            drop();
        }
    }

    /** {@link #dispatch} for Netty's {@code handle}: nothing may reach Netty. */
    void dispatchSafely(int ready) {
        try {
            dispatch(ready);
        } catch (Throwable t) {
            log.error("cannot dispatch readiness of {} on {}", channel, owner.loop, t);
        }
    }

    /** Runs the callbacks for the {@code ready} bits; on the watching loop's thread. */
    void dispatch(int ready) {
        boolean resync = false;
        for (int kind = Interest.READ; kind <= Interest.WRITE; kind <<= 1) {
            if ((ready & kind) == 0) {
                continue;
            }
            WatchCallback callback;
            synchronized (owner.lock) {
                callback = gone ? null : get(kind);
            }
            if (callback == null) {
                resync = true; // interest removed since it was armed
                continue;
            }
            if (!channel.isOpen()) {
                break;
            }
            callback.run();
        }
        if (!channel.isOpen()) {
            synchronized (owner.lock) {
                forgetIfClosed();
            }
            resync = true;
        }
        if (resync) {
            requestSync();
        }
    }

    @Override
    public String toString() {
        return watch.toString();
    }
}
