package pulsar.impl.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.EventLoop;

/**
 * Readiness callbacks for JDK {@link SelectableChannel}s ({@link EventLoop#addReader} and friends),
 * level-triggered like asyncio's {@code add_reader}: the callback runs on the loop thread again and
 * again while the channel stays ready, until it is removed.
 *
 * <p>Each watched channel is one {@link IoHandle} registered with the loop's own Netty
 * {@code IoHandler} through {@link IoEventLoop#register(IoHandle)}; interest changes go through
 * {@link IoRegistration#submit(IoOps)}. No selector loop of our own:
 * <ul>
 * <li>NIO loop: a {@link NioIoHandle} for the channel, interest {@link NioIoOps} read/accept and
 *     write/connect (whatever the channel supports).
 * <li>epoll loop: an {@link EpollIoHandle} whose {@link FileDescriptor} wraps the JDK channel's int
 *     descriptor (read through {@code sun.nio.ch.SelChImpl#getFDVal}, which needs
 *     {@value #OPENS_FLAG}). The wrapper never closes the descriptor: the JDK channel owns it. Interest
 *     is level-triggered (no {@code EPOLLET}).
 * <li>epoll loop without that flag (or a channel that is not a JDK one): a fallback that registers a
 *     {@link NioIoHandle} on one shared daemon Netty NIO loop ({@code pulsar-channel-watch}) and hands
 *     each readiness over to the actor's loop; the fired interest is disarmed until the callbacks ran
 *     there, then re-armed, so level-triggered semantics hold without flooding the actor's loop.
 * </ul>
 *
 * <p>State (callbacks, interest) changes at once under a lock, from any thread; the Netty registration
 * follows on the thread of the loop it is registered with (hopping there with {@code execute}). A
 * callback that throws is logged and the registration stays. The handle is deregistered when both
 * interests are removed, when the loop stops, and when the channel is found closed (after each
 * callback, on each event, and by a sweep every second while anything is watched): close a channel
 * after removing its reader and writer, as with asyncio, so its descriptor number cannot be reused
 * while still registered.
 */
final class ChannelWatch {
    private static final Logger log = LoggerFactory.getLogger(ChannelWatch.class);

    /** The JVM flag that lets epoll loops read the file descriptor of JDK channels. */
    static final String OPENS_FLAG = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final long SWEEP_SECONDS = 1;
    private static final AtomicBoolean FALLBACK_WARNED = new AtomicBoolean();

    private final EventLoopImpl loop;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}; an entry leaves only when its Netty registration is cancelled. */
    private final Map<SelectableChannel, Watch> watches = new HashMap<>();
    /** Written under {@link #lock}. */
    private volatile boolean terminated;
    /** Guarded by {@link #lock}. */
    private ScheduledFuture<?> sweeper;
    private volatile boolean forceFallback;

    ChannelWatch(EventLoopImpl loop) {
        this.loop = loop;
        loop.netty().terminationFuture().addListener(f -> terminate());
    }

    EventLoop.Handle add(SelectableChannel channel, boolean read, Runnable callback) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callback, "callback");
        int kind = read ? READ : WRITE;
        if (nioOps(channel, kind) == 0) {
            throw new IllegalArgumentException("cannot watch " + channel + " for " + (read ? "reading" : "writing")
                    + ": its valid operations are " + channel.validOps());
        }
        if (stopping()) {
            throw new IllegalStateException(loop + " is stopped: cannot watch " + channel);
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + channel + ": " + e.getMessage(), e);
        }
        Watch w;
        Reg reg;
        synchronized (lock) {
            if (stopping()) {
                throw new IllegalStateException(loop + " is stopped: cannot watch " + channel);
            }
            w = watches.get(channel);
            if (w == null) {
                w = newWatch(channel);
                watches.put(channel, w);
            }
            reg = new Reg(w, kind, callback);
            Reg old = w.set(kind, reg);
            if (old != null) {
                old.cancelled = true;
            }
            startSweeper();
        }
        Throwable failure = w.requestSync();
        if (failure != null) {
            throw new IllegalStateException("cannot watch " + channel + " on " + loop + ": " + failure, failure);
        }
        return reg;
    }

    boolean remove(SelectableChannel channel, boolean read) {
        Watch w;
        synchronized (lock) {
            w = watches.get(channel);
            if (w == null) {
                return false;
            }
            Reg old = w.set(read ? READ : WRITE, null);
            if (old == null) {
                return false;
            }
            old.cancelled = true;
        }
        w.requestSync();
        return true;
    }

    /** How many channels are watched (registered or about to be); for tests. */
    int size() {
        synchronized (lock) {
            return watches.size();
        }
    }

    /** "epoll", "nio" or "fallback": how {@code channel} is watched, or {@code null}; for tests. */
    String backend(SelectableChannel channel) {
        synchronized (lock) {
            Watch w = watches.get(channel);
            return w == null ? null : w.backend();
        }
    }

    /** Makes channels watched from now on use the fallback watcher on epoll loops; for tests. */
    void forceFallback(boolean force) {
        forceFallback = force;
    }

    /** Whether epoll loops can read JDK channels' file descriptors (the JVM flag is present). */
    static boolean descriptorsAccessible() {
        return Fds.GET_FD_VAL != null;
    }

    private Watch newWatch(SelectableChannel channel) {
        if (!loop.usesEpoll()) {
            return new NioWatch(channel);
        }
        int fd = forceFallback ? -1 : Fds.fdOf(channel);
        if (fd >= 0) {
            return new EpollWatch(channel, fd);
        }
        if (!forceFallback && FALLBACK_WARNED.compareAndSet(false, true)) {
            log.warn("epoll loops cannot read the file descriptor of JDK channels such as {} ({}): addReader/addWriter "
                    + "fall back to a shared NIO watcher thread, one more thread hop per event. Run the JVM with {} "
                    + "(or with -Dpulsar.nio=true for NIO loops) to watch them on the loop itself",
                    channel, Fds.why(channel), OPENS_FLAG);
        }
        return new RemoteWatch(channel);
    }

    private boolean stopping() {
        return terminated || loop.netty().isShuttingDown();
    }

    /** Interest ops of the channel for READ/WRITE bits: read or accept, write or connect. */
    private static int nioOps(SelectableChannel channel, int bits) {
        int valid = channel.validOps();
        int ops = 0;
        if ((bits & READ) != 0) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((bits & WRITE) != 0) {
            ops |= valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return ops;
    }

    private static int nioReady(IoEvent event) {
        int ops = ((NioIoEvent) event).ops().value();
        return ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0 ? READ : 0)
                | ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 ? WRITE : 0);
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
        List<Watch> closed = new ArrayList<>();
        synchronized (lock) {
            if (watches.isEmpty()) {
                if (sweeper != null) {
                    sweeper.cancel(false);
                    sweeper = null;
                }
                return;
            }
            for (Watch w : watches.values()) {
                if (!w.channel.isOpen()) {
                    closed.add(w);
                }
            }
            for (Watch w : closed) {
                w.forgetIfClosed();
            }
        }
        for (Watch w : closed) {
            w.requestSync();
        }
    }

    /** The loop has ended: its IoHandler already closed the local handles; forget everything. */
    private void terminate() {
        List<Watch> all;
        synchronized (lock) {
            terminated = true;
            sweeper = null;
            all = new ArrayList<>(watches.values());
        }
        for (Watch w : all) {
            w.loopTerminated();
        }
    }

    /** One addReader/addWriter registration: the handle returned to the caller. */
    private final class Reg implements EventLoop.Handle {
        final Watch watch;
        final int kind;
        final Runnable callback;
        volatile boolean cancelled;

        Reg(Watch watch, int kind, Runnable callback) {
            this.watch = watch;
            this.kind = kind;
            this.callback = callback;
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                if (watch.get(kind) != this) {
                    return;
                }
                watch.set(kind, null);
            }
            watch.requestSync();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        void run() {
            try {
                callback.run();
            } catch (Throwable t) {
                log.error("{} callback for {} failed on {}", kind == READ ? "reader" : "writer", watch.channel, loop, t);
            }
        }

        @Override
        public String toString() {
            return (kind == READ ? "Reader[" : "Writer[") + watch.channel + (cancelled ? ", cancelled]" : "]");
        }
    }

    /**
     * A watched channel: at most one reader and one writer, and one Netty registration on
     * {@link #ioLoop()}, touched only on that loop's thread.
     */
    private abstract class Watch implements IoHandle {
        final SelectableChannel channel;
        /** Guarded by {@link #lock}. */
        Reg reader;
        /** Guarded by {@link #lock}. */
        Reg writer;
        /** Guarded by {@link #lock}: out of {@link #watches} for good, registration cancelled. */
        boolean gone;
        /** Guarded by {@link #lock}; on the io loop's thread. */
        IoRegistration registration;
        /** Guarded by {@link #lock}: the READ/WRITE bits last submitted. */
        int armed;

        Watch(SelectableChannel channel) {
            this.channel = channel;
        }

        /** The Netty loop the handle is registered with. */
        abstract IoEventLoop ioLoop();

        /** Netty interest ops for READ/WRITE bits (never empty for the epoll handler). */
        abstract IoOps ops(int bits);

        /** READ/WRITE bits of a Netty readiness event. */
        abstract int ready(IoEvent event);

        abstract String backend();

        /** The bits to submit when {@code wanted} are wanted. */
        int armTarget(int wanted) {
            return wanted;
        }

        /** Called on the io loop's thread, under the lock, right before registering. */
        void beforeRegister() {
        }

        Reg get(int kind) {
            return kind == READ ? reader : writer;
        }

        Reg set(int kind, Reg reg) {
            Reg old;
            if (kind == READ) {
                old = reader;
                reader = reg;
            } else {
                old = writer;
                writer = reg;
            }
            return old;
        }

        int wanted() {
            return (reader != null ? READ : 0) | (writer != null ? WRITE : 0);
        }

        /** Runs {@link #sync()} on the io loop: at once when there, else later. */
        Throwable requestSync() {
            IoEventLoop io = ioLoop();
            if (io.inEventLoop()) {
                return sync();
            }
            try {
                io.execute(this::sync);
            } catch (RejectedExecutionException e) {
                // that loop is stopping: terminate() forgets this watch
            }
            return null;
        }

        /** Makes the Netty registration match the wanted interest; on the io loop's thread. */
        Throwable sync() {
            synchronized (lock) {
                if (gone) {
                    return null;
                }
                int wanted = channel.isOpen() && !stopping() ? wanted() : 0;
                if (wanted == 0) {
                    drop();
                    return null;
                }
                try {
                    if (registration == null) {
                        beforeRegister();
                        Future<IoRegistration> f = ioLoop().register(this);
                        if (!f.isDone()) {
                            f.cancel(false);
                            throw new IllegalStateException("registration with " + ioLoop() + " did not complete at once");
                        }
                        if (!f.isSuccess()) {
                            throw f.cause();
                        }
                        registration = f.getNow();
                        armed = -1;
                    }
                    int target = armTarget(wanted);
                    if (target != armed) {
                        registration.submit(ops(target));
                        armed = target;
                    }
                    return null;
                } catch (Throwable t) {
                    log.error("cannot watch {} on {}", channel, loop, t);
                    drop();
                    return t;
                }
            }
        }

        /**
         * A closed channel: forgets its callbacks at once, even when the registration is cancelled
         * later on another loop; under the lock. A closed channel cannot be added again, so it is
         * safe to leave {@link #watches} before that.
         */
        void forgetIfClosed() {
            if (gone || channel.isOpen()) {
                return;
            }
            for (Reg r : new Reg[] {reader, writer}) {
                if (r != null) {
                    r.cancelled = true;
                }
            }
            reader = null;
            writer = null;
            watches.remove(channel, this);
        }

        /** Forgets this watch and cancels its registration; under the lock, on the io loop's thread. */
        void drop() {
            if (gone) {
                return;
            }
            gone = true;
            watches.remove(channel, this);
            for (Reg r : new Reg[] {reader, writer}) {
                if (r != null) {
                    r.cancelled = true;
                }
            }
            reader = null;
            writer = null;
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

        /** The actor's loop has ended. */
        void loopTerminated() {
            synchronized (lock) {
                registration = null; // closed by the IoHandler with the loop
                drop();
            }
        }

        /** Runs the callbacks for {@code ready} bits; on the actor's loop thread. */
        void dispatch(int ready) {
            boolean resync = false;
            for (int kind = READ; kind <= WRITE; kind <<= 1) {
                if ((ready & kind) == 0) {
                    continue;
                }
                Reg reg;
                synchronized (lock) {
                    reg = gone ? null : get(kind);
                }
                if (reg == null) {
                    resync = true; // interest removed since it was armed
                    continue;
                }
                if (!channel.isOpen()) {
                    break;
                }
                reg.run();
            }
            if (!channel.isOpen()) {
                synchronized (lock) {
                    forgetIfClosed();
                }
                resync = true;
            }
            if (resync) {
                requestSync();
            }
        }

        /** Netty: the handler closes this handle (loop stopping, or the NIO key became invalid). */
        @Override
        public void close() {
            // Never closes the channel nor its descriptor: the caller owns them.
            synchronized (lock) {
                drop();
            }
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + channel + "]";
        }
    }

    /** On the actor's own loop: events dispatch right there. */
    private abstract class LocalWatch extends Watch {
        LocalWatch(SelectableChannel channel) {
            super(channel);
        }

        @Override
        IoEventLoop ioLoop() {
            return (IoEventLoop) loop.netty();
        }

        @Override
        public void handle(IoRegistration reg, IoEvent event) {
            try {
                dispatch(ready(event));
            } catch (Throwable t) {
                log.error("cannot dispatch readiness of {} on {}", channel, loop, t); // must not reach Netty
            }
        }
    }

    /** NIO loop: the channel itself is registered with the loop's selector. */
    private final class NioWatch extends LocalWatch implements NioIoHandle {
        NioWatch(SelectableChannel channel) {
            super(channel);
        }

        @Override
        public SelectableChannel selectableChannel() {
            return channel;
        }

        @Override
        IoOps ops(int bits) {
            return NioIoOps.valueOf(nioOps(channel, bits));
        }

        @Override
        int ready(IoEvent event) {
            return nioReady(event);
        }

        @Override
        String backend() {
            return "nio";
        }
    }

    /** epoll loop: the channel's descriptor is added to the loop's epoll set, level-triggered. */
    private final class EpollWatch extends LocalWatch implements EpollIoHandle {
        private final BorrowedFd fd;

        EpollWatch(SelectableChannel channel, int fd) {
            super(channel);
            this.fd = new BorrowedFd(fd, channel);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        IoOps ops(int bits) {
            return EpollBits.ops(bits);
        }

        @Override
        int ready(IoEvent event) {
            return EpollBits.ready(((EpollIoEvent) event).ops().value());
        }

        @Override
        String backend() {
            return "epoll";
        }

        /** A channel closed while watched may have left its descriptor number to this one. */
        @Override
        void beforeRegister() {
            for (Watch w : new ArrayList<>(watches.values())) {
                if (w != this && w instanceof EpollWatch e && e.fd.intValue() == fd.intValue() && !w.channel.isOpen()) {
                    w.drop();
                }
            }
        }
    }

    /**
     * epoll loop that cannot read descriptors: registered on the shared NIO watcher loop. A readiness
     * disarms the fired bits ({@link #inFlight}) and runs the callbacks on the actor's loop, which then
     * re-arms them on the watcher loop: still level-triggered, one delivery at a time.
     */
    private final class RemoteWatch extends Watch implements NioIoHandle {
        /** Guarded by {@link #lock}: bits whose callbacks are on their way to the actor's loop. */
        int inFlight;

        RemoteWatch(SelectableChannel channel) {
            super(channel);
        }

        @Override
        public SelectableChannel selectableChannel() {
            return channel;
        }

        @Override
        IoEventLoop ioLoop() {
            return Fallback.LOOP;
        }

        @Override
        IoOps ops(int bits) {
            return NioIoOps.valueOf(nioOps(channel, bits));
        }

        @Override
        int ready(IoEvent event) {
            return nioReady(event);
        }

        @Override
        String backend() {
            return "fallback";
        }

        @Override
        int armTarget(int wanted) {
            return wanted & ~inFlight;
        }

        @Override
        void loopTerminated() {
            requestSync(); // sees the loop stopped and cancels on the watcher loop
        }

        /** On the watcher loop. */
        @Override
        public void handle(IoRegistration reg, IoEvent event) {
            try {
                int fired;
                synchronized (lock) {
                    if (gone) {
                        return;
                    }
                    fired = ready(event) & armed;
                    if (fired == 0) {
                        return;
                    }
                    inFlight |= fired;
                }
                sync(); // disarms the fired bits
                try {
                    loop.netty().execute(() -> deliver(fired));
                } catch (RejectedExecutionException e) {
                    sync(); // the actor's loop is stopping: drops this watch
                }
            } catch (Throwable t) {
                log.error("cannot hand readiness of {} to {}", channel, loop, t); // must not reach Netty
            }
        }

        /** On the actor's loop. */
        private void deliver(int fired) {
            try {
                dispatch(fired);
            } finally {
                try {
                    Fallback.LOOP.execute(() -> {
                        synchronized (lock) {
                            inFlight &= ~fired;
                        }
                        sync();
                    });
                } catch (RejectedExecutionException e) {
                    log.debug("watcher loop stopped", e);
                }
            }
        }
    }

    /** A JDK channel's descriptor: never closed here, open as long as the channel is. */
    private static final class BorrowedFd extends FileDescriptor {
        private final SelectableChannel owner;

        BorrowedFd(int fd, SelectableChannel owner) {
            super(fd);
            this.owner = owner;
        }

        /**
         * Netty removes a descriptor from epoll only while this says open: once the channel is
         * closed the kernel has dropped it, and the number may already belong to someone else.
         */
        @Override
        public boolean isOpen() {
            return owner.isOpen();
        }

        @Override
        public void close() {
            // The JDK channel owns the descriptor.
        }
    }

    /** epoll constants, loaded only on epoll loops. */
    private static final class EpollBits {
        /** Reported by the kernel whether asked or not; EpollIoOps has no constant for it (Linux ABI). */
        private static final int EPOLLHUP = 0x010;
        private static final int READ_READY = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLERR.value()
                | EpollIoOps.EPOLLRDHUP.value() | EPOLLHUP;
        private static final int WRITE_READY = EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value() | EPOLLHUP;
        private static final EpollIoOps[] OPS = {
            EpollIoOps.NONE, EpollIoOps.EPOLLIN, EpollIoOps.EPOLLOUT, EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT),
        };

        /** Level-triggered: no EPOLLET, so a callback that reads part of the data is called again. */
        static EpollIoOps ops(int bits) {
            return OPS[bits];
        }

        /** Errors and hang-ups make both sides ready, as with asyncio: the callback sees EOF or the error. */
        static int ready(int events) {
            return ((events & READ_READY) != 0 ? READ : 0) | ((events & WRITE_READY) != 0 ? WRITE : 0);
        }
    }

    /** Reads a JDK channel's int descriptor: {@code sun.nio.ch.SelChImpl#getFDVal}. */
    private static final class Fds {
        static final Method GET_FD_VAL;
        static final Throwable UNAVAILABLE;

        static {
            Method m = null;
            Throwable why = null;
            try {
                m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
                m.setAccessible(true); // needs --add-opens (or --add-exports) java.base/sun.nio.ch
            } catch (Throwable t) {
                m = null;
                why = t;
            }
            GET_FD_VAL = m;
            UNAVAILABLE = why;
        }

        /** The descriptor, or -1 when not readable. */
        static int fdOf(SelectableChannel channel) {
            Method m = GET_FD_VAL;
            if (m == null || !m.getDeclaringClass().isInstance(channel)) {
                return -1;
            }
            try {
                return (int) m.invoke(channel);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("cannot read the descriptor of {}", channel, e);
                return -1;
            }
        }

        static String why(SelectableChannel channel) {
            if (UNAVAILABLE != null) {
                return UNAVAILABLE.toString();
            }
            return channel.getClass().getName() + " is not a JDK socket or pipe channel";
        }
    }

    /** The shared NIO loop of the fallback, started on first use. */
    private static final class Fallback {
        static final IoEventLoop LOOP = new MultiThreadIoEventLoopGroup(1,
                Thread.ofPlatform().name("pulsar-channel-watch").daemon(true).factory(),
                NioIoHandler.newFactory()).next();
    }
}
