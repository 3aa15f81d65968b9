package pulsar.impl.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.EventLoop;
import pulsar.Pulsar;

/**
 * Every {@link EventLoopImplTest} (callbacks, timers, runInExecutor, readers and writers, servers
 * and connections, stop) on loops made by {@link EventLoop#create()}, and what is particular to them:
 * no actor, no arbiter, a non-daemon thread of their own that {@code stop()} ends.
 */
class EventLoopStandaloneTest extends EventLoopImplTest {
    @Override
    protected EventLoopImpl newLoop(String name) {
        return (EventLoopImpl) EventLoop.create();
    }

    @Test
    @Timeout(30)
    void create_returnsARunningLoopOnANonDaemonThreadOfItsOwn() throws Exception {
        assertThat(loop.isRunning()).isTrue();
        Thread t = loop.thread();
        assertThat(t.getName()).matches("pulsar-loop-\\d+");
        assertThat(t.isDaemon()).as("keeps the JVM alive until stop()").isFalse();
        EventLoop other = EventLoop.create();
        try {
            CompletableFuture<Thread> otherThread = new CompletableFuture<>();
            other.callSoon(() -> otherThread.complete(Thread.currentThread()));
            assertThat(otherThread.get(5, TimeUnit.SECONDS)).isNotSameAs(t);
            assertThat(otherThread.get().getName()).isNotEqualTo(t.getName());
        } finally {
            other.stop().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void getActor_isNullOnTheLoop_andNoArbiterRuns() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        loop.callSoon(() -> seen.complete(Pulsar.getActor() + "/" + (LoopThreads.currentLoop() == loop)));
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null/true");
        CompletableFuture<Object> inExecutor = loop.runInExecutor(() -> String.valueOf(Pulsar.getActor()));
        assertThat(inExecutor.get(5, TimeUnit.SECONDS)).isEqualTo("null");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().contains("arbiter"));
    }

    @Test
    @Timeout(30)
    void stop_endsTheThread_andClosesItsServers() throws Exception {
        Channel server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
            }
        }).get(5, TimeUnit.SECONDS);
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        Thread t = loop.thread();
        loop.stop().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !t.isAlive());
        assertThat(loop.isRunning()).isFalse();
        assertThat(server.isOpen()).isFalse();
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(bound); // the port is free again
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().equals(t.getName()));
    }
}
