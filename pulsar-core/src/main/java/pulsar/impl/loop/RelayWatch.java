package pulsar.impl.loop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioIoOps;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any loop, in particular an epoll loop in a JVM without {@value Descriptors#OPENS_FLAG}: the
 * channel joins the selector of one shared NIO relay loop (thread {@code pulsar-channel-watch},
 * a daemon started on first use), which hands each readiness over to the watching loop. The fired
 * bits are disarmed ({@link #inFlight}) until the callbacks ran there, then re-armed on the relay
 * loop: level-triggered still, one delivery at a time, never flooding the watching loop.
 */
final class RelayWatch implements ChannelWatch, NioIoHandle {
    private static final Logger log = LoggerFactory.getLogger(RelayWatch.class);

    private final WatchedChannel watched;
    /** Guarded by the registry lock: bits whose callbacks are on their way to the watching loop. */
    private int inFlight;

    private RelayWatch(WatchedChannel watched) {
        this.watched = watched;
    }

    /** A relay watch for {@code watched}; says once per JVM why, when its loop is an epoll one. */
    static RelayWatch on(WatchedChannel watched) {
        if (watched.owner.loop.usesEpoll()) {
            Descriptors.noteRelayOnEpoll(watched.owner.loop, watched.channel);
        }
        return new RelayWatch(watched);
    }

    @Override
    public WatchBackend backend() {
        return WatchBackend.RELAY;
    }

    @Override
    public SelectableChannel selectableChannel() {
        return watched.channel;
    }

    @Override
    public IoEventLoop ioLoop() {
        return Relay.LOOP;
    }

    @Override
    public IoOps ops(int bits) {
        return NioIoOps.valueOf(Interest.nioOps(watched.channel, bits));
    }

    @Override
    public int armTarget(int wanted) {
        return wanted & ~inFlight;
    }

    /** On the relay loop: disarms the fired bits and sends them to the watching loop. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        try {
            int fired;
            synchronized (watched.owner.lock) {
                if (watched.gone) {
                    return;
                }
                fired = Interest.fromNio(((NioIoEvent) event).ops().value()) & watched.armed;
                if (fired == 0) {
                    return;
                }
                inFlight |= fired;
            }
            watched.sync(); // disarms the fired bits
            try {
                watched.owner.nettyLoop().execute(() -> deliver(fired));
            } catch (RejectedExecutionException e) {
                watched.sync(); // the watching loop is stopping: drops this watch
            }
        } catch (Throwable t) {
            log.error("cannot hand readiness of {} to {}", watched.channel, watched.owner.loop, t); // must not reach Netty
        }
    }

    /** On the watching loop: runs the callbacks, then re-arms on the relay loop. */
    private void deliver(int fired) {
        try {
            watched.dispatch(fired);
        } finally {
            try {
                Relay.LOOP.execute(() -> {
                    synchronized (watched.owner.lock) {
                        inFlight &= ~fired;
                    }
                    watched.sync();
                });
            } catch (RejectedExecutionException e) {
                log.debug("relay loop stopped", e);
            }
        }
    }

    /** Netty: the key became invalid. Never closes the channel: the caller owns it. */
    @Override
    public void close() {
        watched.closedByNetty();
    }

    @Override
    public String toString() {
        return "RelayWatch[" + watched.channel + "]";
    }

    /** The shared relay loop, started on first use. */
    private static final class Relay {
        static final IoEventLoop LOOP = new MultiThreadIoEventLoopGroup(1,
                Thread.ofPlatform().name("pulsar-channel-watch").daemon(true).factory(),
                NioIoHandler.newFactory()).next();
    }
}
