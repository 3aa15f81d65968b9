package pulsar;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The arbiter: the actor of the master process that spawns and supervises every other actor.
 * {@link Pulsar#arbiter()} returns this JVM's one instance. A stopped arbiter can be started
 * again; its aid is always {@code "arbiter"}.
 */
public interface Arbiter extends Actor {
    /**
     * Starts the arbiter's loop on a thread of its own and opens its mailbox.
     *
     * @return completes when the arbiter is running (at once when it already runs)
     * @throws IllegalStateException if a previous stop has not finished
     */
    CompletableFuture<Arbiter> start();

    /** Runs the arbiter's loop in the calling thread until the arbiter is stopped. */
    void run();

    /**
     * Stops every actor (each runs {@code onStop}), then the arbiter itself.
     *
     * @return completes when every actor and the arbiter's loop are gone
     */
    @Override
    CompletableFuture<Void> stop();

    /** Whether the arbiter is running. */
    boolean isRunning();

    /** The settings the arbiter runs (or will run) with. */
    Settings settings();

    /**
     * Replaces the settings; allowed only while the arbiter is stopped.
     *
     * @throws IllegalStateException while running
     */
    Arbiter configure(Settings settings);

    /** Proxies of the live actors the arbiter supervises. */
    List<ActorProxy> actors();

    /**
     * Subscribes {@code listener} to the state changes and exits of every actor this arbiter
     * supervises, from now on and across restarts, until the handle is cancelled.
     *
     * @return cancels the subscription
     */
    EventLoop.Handle watch(ActorListener listener);

    /**
     * Adds and starts an application: a {@link pulsar.app.Monitor} on this arbiter's loop runs
     * {@code monitorStart}, then keeps the application's {@code workers} alive.
     *
     * @return completes with the monitor once the first workers run; fails when the arbiter is not
     *     running, an application of that name runs already, or the crash-loop brake stops it
     */
    CompletableFuture<pulsar.app.Monitor> add(pulsar.app.Application application);

    /** The monitor of the running application {@code name}, or {@code null}. */
    pulsar.app.Monitor monitor(String name);

    /** The monitors of the running applications, in the order they were added. */
    List<pulsar.app.Monitor> monitors();
}
