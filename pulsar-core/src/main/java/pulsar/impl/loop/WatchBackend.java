package pulsar.impl.loop;

import java.nio.channels.SelectableChannel;

/** Which {@link ChannelWatch} serves the channels a loop watches. */
enum WatchBackend {
    /** NIO loop: the channel joins the loop's own selector. */
    NIO_SELECTOR,
    /** epoll loop, JVM opened to read descriptors: the descriptor joins the loop's own epoll set. */
    EPOLL_FD,
    /** Any loop: the channel joins the selector of a shared relay loop, which hands readiness over. */
    RELAY;

    /** The backend for a loop on NIO ({@code epoll == false}) or epoll. */
    static WatchBackend forLoop(boolean epoll) {
        if (!epoll) {
            return NIO_SELECTOR;
        }
        return Descriptors.accessible() ? EPOLL_FD : RELAY;
    }

    /** A watch of this backend for {@code watched}; EPOLL_FD relays channels whose descriptor it cannot read. */
    ChannelWatch newWatch(WatchedChannel watched) {
        SelectableChannel channel = watched.channel;
        return switch (this) {
            case NIO_SELECTOR -> new NioSelectorWatch(watched);
            case EPOLL_FD -> {
                int fd = Descriptors.fdOf(channel);
                yield fd >= 0 ? new EpollFdWatch(watched, fd) : RelayWatch.on(watched);
            }
            case RELAY -> RelayWatch.on(watched);
        };
    }
}
