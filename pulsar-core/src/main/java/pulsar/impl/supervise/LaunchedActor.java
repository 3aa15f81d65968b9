package pulsar.impl.supervise;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A started actor as its launcher controls it: asked to stop, killed, watched. */
public interface LaunchedActor {
    /** The process it runs in. */
    long pid();

    /**
     * Asks it to stop gracefully ({@code onStop} runs once).
     *
     * @param mailbox its mailbox address once the handshake told it, else {@code null}
     * @return completes when it has ended
     */
    CompletableFuture<Void> stop(InetSocketAddress mailbox);

    /** Ends it now, without its cooperation. */
    void kill();

    /** Whether its thread or process still runs. */
    boolean isAlive();

    /**
     * When it last showed it runs without a {@code notify} of its own (a co-located actor: its
     * shared loop's beat), on the supervisor's clock; 0 when it only notifies.
     */
    default long aliveNanos() {
        return 0;
    }
}
