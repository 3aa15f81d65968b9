package pulsar.impl.loop;

/**
 * Every {@link EventLoopImplTest} on a loop (epoll where available) whose addReader/addWriter go
 * through the shared relay loop, as on epoll loops of a JVM without {@value Descriptors#OPENS_FLAG}.
 */
class EventLoopImplRelayTest extends EventLoopImplTest {
    @Override
    protected EventLoopImpl newLoop(String name) {
        return new EventLoopImpl(name, false, true, false, WatchBackend.RELAY).start();
    }

    @Override
    protected EventLoopImpl newCallingThreadLoop(String name) {
        return new EventLoopImpl(name, true, false, false, WatchBackend.RELAY);
    }

    @Override
    protected WatchBackend expectedBackend() {
        return WatchBackend.RELAY;
    }
}
