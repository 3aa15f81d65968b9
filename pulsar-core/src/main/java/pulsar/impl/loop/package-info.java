/**
 * Implementation of {@link pulsar.EventLoop}: {@link pulsar.impl.loop.EventLoopImpl} over one Netty
 * {@code IoEventLoop}, the loop-thread guard ({@link pulsar.impl.loop.LoopThreads}), servers with
 * options ({@code ServerOpener}), and addReader/addWriter: {@code ChannelWatches} (the registry of one
 * loop) whose channels are watched by one {@code ChannelWatch} per backend ({@code NioSelectorWatch},
 * {@code EpollFdWatch}, {@code RelayWatch}; chosen by {@code WatchBackend}).
 */
package pulsar.impl.loop;
