package pulsar.impl.loop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;

/**
 * Every {@link EventLoopImplTest} on an epoll loop whose addReader/addWriter use the fallback
 * (a shared NIO watcher loop handing readiness over to the actor's loop), as when the JVM lacks
 * {@value ChannelWatch#OPENS_FLAG}.
 */
class EventLoopImplFallbackTest extends EventLoopImplTest {
    @Override
    protected EventLoopImpl newLoop(String name) {
        assumeTrue(Epoll.isAvailable(), "the fallback is for epoll loops");
        EventLoopImpl l = EventLoopImpl.onNewThread(name, false);
        l.channelWatch().forceFallback(true);
        return l;
    }

    @Override
    protected EventLoopImpl newCallingThreadLoop(String name) {
        EventLoopImpl l = EventLoopImpl.forCallingThread(name, false);
        l.channelWatch().forceFallback(true);
        return l;
    }

    @Override
    protected String expectedBackend() {
        return "fallback";
    }
}
