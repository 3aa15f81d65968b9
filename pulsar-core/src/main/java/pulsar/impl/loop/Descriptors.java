package pulsar.impl.loop;

import java.lang.reflect.Method;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JDK channel's int descriptor ({@code sun.nio.ch.SelChImpl#getFDVal}) for
 * {@link EpollFdWatch}. Works only in a JVM started with {@value #OPENS_FLAG}; without it epoll
 * loops relay instead ({@link RelayWatch}), and nothing else in Pulsar needs that flag.
 */
final class Descriptors {
    private static final Logger log = LoggerFactory.getLogger(Descriptors.class);

    /** The optional JVM flag that lets epoll loops watch JDK channels on the loop itself. */
    static final String OPENS_FLAG = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private static final Method GET_FD_VAL;
    private static final AtomicBoolean RELAY_NOTED = new AtomicBoolean();

    static {
        Method m;
        try {
            m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true); // throws without the flag; the JVM prints nothing
        } catch (Throwable t) {
            m = null;
        }
        GET_FD_VAL = m;
    }

    private Descriptors() {
    }

    /** Whether this JVM lets us read JDK channels' descriptors. */
    static boolean accessible() {
        return GET_FD_VAL != null;
    }

    /** The descriptor of {@code channel}, or -1 when it cannot be read. */
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

    /**
     * Says once per JVM, at info level, that an epoll loop relays readiness for want of the flag and
     * how to avoid it (at debug level when the flag is there and the channel is not a JDK one).
     */
    static void noteRelayOnEpoll(Object loop, SelectableChannel channel) {
        if (accessible()) {
            log.debug("{} on {} is relayed: not a JDK channel whose descriptor can be read", channel, loop);
        } else if (RELAY_NOTED.compareAndSet(false, true)) {
            log.info("addReader/addWriter on epoll loops such as {} go through the pulsar-channel-watch thread "
                    + "(one more thread hop per event); for the loop's own epoll set run the JVM with {}, "
                    + "or use NIO loops (-Dpulsar.nio=true)", loop, OPENS_FLAG);
        }
    }
}
