package pulsar.impl.loop;

/** Every {@link EventLoopImplTest} on the NIO transport, whatever the default. */
class EventLoopImplNioTest extends EventLoopImplTest {
    @Override
    protected EventLoopImpl newLoop(String name) {
        EventLoopImpl l = EventLoopImpl.onNewThread(name, true);
        if (l.usesEpoll()) {
            throw new AssertionError("not a NIO loop: " + l);
        }
        return l;
    }

    @Override
    protected EventLoopImpl newCallingThreadLoop(String name) {
        return EventLoopImpl.forCallingThread(name, true);
    }
}
