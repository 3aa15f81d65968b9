package pulsar.impl.loop;

import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import pulsar.EventLoop;

/**
 * The channels one loop watches for {@link EventLoop#addReader} and {@link EventLoop#addWriter},
 * level-triggered like asyncio's {@code add_reader}: a callback runs on the loop thread again and
 * again while its channel stays ready, until removed. Each channel is one {@link WatchedChannel}
 * whose {@link ChannelWatch} (chosen by the loop's {@link WatchBackend}) is registered with a Netty
 * loop through {@code IoEventLoop.register}: no selector loop of our own.
 *
 * <p>State (callbacks, interest) changes at once under {@link #lock}, from any thread; the Netty
 * registration follows on the thread of the loop it is registered with. A watch is dropped when
 * both interests are removed, when the loop stops, and when its channel is found closed (after each
 * callback, on each event, and by a sweep every second while anything is watched): close a channel
 * after removing its reader and writer, as with asyncio, so its descriptor number cannot be reused
 * while still registered.
 */
final class ChannelWatches {
    private static final long SWEEP_SECONDS = 1;

    final EventLoopImpl loop;
    final Object lock = new Object();
    private final WatchBackend backend;
    /** Guarded by {@link #lock}; an entry leaves when dropped, or at once when its channel is closed. */
    private final Map<SelectableChannel, WatchedChannel> watched = new HashMap<>();
    /** Written under {@link #lock}. */
    private volatile boolean terminated;
    /** Guarded by {@link #lock}. */
    private ScheduledFuture<?> sweeper;

    ChannelWatches(EventLoopImpl loop, WatchBackend backend) {
        this.loop = loop;
        this.backend = backend;
        loop.netty().terminationFuture().addListener(f -> terminate());
    }

    IoEventLoop nettyLoop() {
        return (IoEventLoop) loop.netty();
    }

    /** The backend of the channels this loop watches (EPOLL_FD relays channels it cannot read). */
    WatchBackend backend() {
        return backend;
    }

    EventLoop.Handle add(SelectableChannel channel, int kind, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        if (Interest.nioOps(channel, kind) == 0) {
            throw new IllegalArgumentException("cannot watch " + channel + " for " + (kind == Interest.READ ? "reading"
                    : "writing") + ": its valid operations are " + channel.validOps());
        }
        if (stopping()) {
            throw new IllegalStateException(loop + " is stopped: cannot watch " + channel);
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + channel + ": " + e.getMessage(), e);
        }
        WatchedChannel w;
        WatchCallback callbackHandle;
        synchronized (lock) {
            if (stopping()) {
                throw new IllegalStateException(loop + " is stopped: cannot watch " + channel);
            }
            w = watched.computeIfAbsent(channel, c -> new WatchedChannel(this, c, backend));
            callbackHandle = new WatchCallback(w, kind, callback);
            WatchCallback old = w.set(kind, callbackHandle);
            if (old != null) {
                old.cancelled = true;
            }
            startSweeper();
        }
        Throwable failure = w.requestSync();
        if (failure != null) {
            throw new IllegalStateException("cannot watch " + channel + " on " + loop + ": " + failure, failure);
        }
        return callbackHandle;
    }

    boolean remove(SelectableChannel channel, int kind) {
        WatchedChannel w;
        synchronized (lock) {
            w = watched.get(channel);
            if (w == null) {
                return false;
            }
            WatchCallback old = w.set(kind, null);
            if (old == null) {
                return false;
            }
            old.cancelled = true;
        }
        w.requestSync();
        return true;
    }

    /** How many channels are watched (registered or about to be). */
    int watchedChannels() {
        synchronized (lock) {
            return watched.size();
        }
    }

    /** The backend watching {@code channel}, or {@code null} when it is not watched. */
    WatchBackend backendOf(SelectableChannel channel) {
        synchronized (lock) {
            WatchedChannel w = watched.get(channel);
            return w == null ? null : w.watch().backend();
        }
    }

    /** Everything watched now. */
    List<WatchedChannel> snapshot() {
        synchronized (lock) {
            return new ArrayList<>(watched.values());
        }
    }

    /** Removes {@code w} from the registry; under {@link #lock}. */
    void forget(WatchedChannel w) {
        watched.remove(w.channel, w);
    }

    boolean stopping() {
        return terminated || loop.netty().isShuttingDown();
    }

    /** Guarded by {@link #lock}. */
    private void startSweeper() {
        if (sweeper == null) {
            try {
                sweeper = loop.netty().scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // the loop is stopping: terminate() cleans up
            }
        }
    }

    /** Drops watches of channels closed without removing their reader and writer. */
    private void sweep() {
        List<WatchedChannel> closed = new ArrayList<>();
        synchronized (lock) {
            if (watched.isEmpty()) {
                if (sweeper != null) {
                    sweeper.cancel(false);
                    sweeper = null;
                }
                return;
            }
            for (WatchedChannel w : watched.values()) {
                if (!w.channel.isOpen()) {
                    closed.add(w);
                }
            }
            for (WatchedChannel w : closed) {
                w.forgetIfClosed();
            }
        }
        for (WatchedChannel w : closed) {
            w.requestSync();
        }
    }

    /** The loop has ended: its IoHandler already closed the handles registered with it. */
    private void terminate() {
        List<WatchedChannel> all;
        synchronized (lock) {
            terminated = true;
            sweeper = null;
            all = new ArrayList<>(watched.values());
        }
        for (WatchedChannel w : all) {
            w.loopTerminated();
        }
    }
}
