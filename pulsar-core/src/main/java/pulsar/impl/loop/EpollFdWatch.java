package pulsar.impl.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.nio.channels.SelectableChannel;

/**
 * epoll loop: the JDK channel's descriptor (read by {@link Descriptors}) joins the loop's own epoll
 * set, level-triggered (no {@code EPOLLET}), so a callback that reads part of the data is called again.
 * The descriptor is borrowed: never closed here.
 */
final class EpollFdWatch implements ChannelWatch, EpollIoHandle {
    /** Reported by the kernel whether asked or not; EpollIoOps has no constant for it (Linux ABI). */
    private static final int EPOLLHUP = 0x010;
    private static final int READ_READY = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLERR.value()
            | EpollIoOps.EPOLLRDHUP.value() | EPOLLHUP;
    private static final int WRITE_READY = EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value() | EPOLLHUP;
    private static final EpollIoOps[] OPS = {
        EpollIoOps.NONE, EpollIoOps.EPOLLIN, EpollIoOps.EPOLLOUT, EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT),
    };

    private final WatchedChannel watched;
    private final BorrowedFd fd;

    EpollFdWatch(WatchedChannel watched, int fd) {
        this.watched = watched;
        this.fd = new BorrowedFd(fd, watched.channel);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public WatchBackend backend() {
        return WatchBackend.EPOLL_FD;
    }

    @Override
    public IoEventLoop ioLoop() {
        return watched.owner.nettyLoop();
    }

    @Override
    public IoOps ops(int bits) {
        return OPS[bits];
    }

    /** A channel closed while watched may have left its descriptor number to this one: drop its watch. */
    @Override
    public void beforeRegister() {
        for (WatchedChannel other : watched.owner.snapshot()) {
            if (other != watched && other.watch() instanceof EpollFdWatch e && e.fd.intValue() == fd.intValue()
                    && !other.channel.isOpen()) {
                other.drop();
            }
        }
    }

    /** Errors and hang-ups make both sides ready, as with asyncio: the callback sees EOF or the error. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        int events = ((EpollIoEvent) event).ops().value();
        watched.dispatchSafely(((events & READ_READY) != 0 ? Interest.READ : 0)
                | ((events & WRITE_READY) != 0 ? Interest.WRITE : 0));
    }

    /** Netty: the loop stops. Never closes the descriptor: the JDK channel owns it. */
    @Override
    public void close() {
        watched.closedByNetty();
    }

    @Override
    public String toString() {
        return "EpollFdWatch[" + watched.channel + ", fd " + fd.intValue() + "]";
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
}
