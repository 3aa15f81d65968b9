package pulsar.impl.loop;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoOps;

/**
 * How one channel given to addReader/addWriter meets Netty: the {@link IoHandle} registered with
 * {@link #ioLoop()}. One implementation per backend ({@link WatchBackend}); the state they share
 * (callbacks, interest, the registration) is the {@link WatchedChannel} each one serves. Netty calls
 * {@code handle} and {@code close} on {@link #ioLoop()}'s thread.
 */
interface ChannelWatch extends IoHandle {
    /** The backend this watch belongs to. */
    WatchBackend backend();

    /** The Netty loop this handle is registered with. */
    IoEventLoop ioLoop();

    /** Netty interest ops for {@link Interest} bits (never empty: the bits are never 0). */
    IoOps ops(int bits);

    /** The bits to arm when {@code wanted} are wanted; under the registry lock. */
    default int armTarget(int wanted) {
        return wanted;
    }

    /** Right before the first registration, on {@link #ioLoop()}'s thread, under the registry lock. */
    default void beforeRegister() {
    }
}
