package pulsar.impl.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;

/** NIO loop: the channel itself joins the loop's selector; readiness dispatches right there. */
final class NioSelectorWatch implements ChannelWatch, NioIoHandle {
    private final WatchedChannel watched;

    NioSelectorWatch(WatchedChannel watched) {
        this.watched = watched;
    }

    @Override
    public SelectableChannel selectableChannel() {
        return watched.channel;
    }

    @Override
    public WatchBackend backend() {
        return WatchBackend.NIO_SELECTOR;
    }

    @Override
    public IoEventLoop ioLoop() {
        return watched.owner.nettyLoop();
    }

    @Override
    public IoOps ops(int bits) {
        return NioIoOps.valueOf(Interest.nioOps(watched.channel, bits));
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        watched.dispatchSafely(Interest.fromNio(((NioIoEvent) event).ops().value()));
    }

    /** Netty: the loop stops or the key became invalid. Never closes the channel: the caller owns it. */
    @Override
    public void close() {
        watched.closedByNetty();
    }

    @Override
    public String toString() {
        return "NioSelectorWatch[" + watched.channel + "]";
    }
}
