package pulsar.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.Settings;

/**
 * The manager of one {@link Application}'s pool of workers. It lives on the arbiter's loop and
 * has no mailbox: commands sent to the application's name ({@code Pulsar.send("echo", "info")},
 * or {@code app echo info} to the arbiter's mailbox) reach it through the arbiter. It keeps
 * {@code workers} workers of the configured {@code concurrency} alive, replacing one at once
 * when it exits, and stops the application when workers keep failing to start (the crash-loop
 * brake: {@code crash_loop_failures} within {@code crash_loop_window}).
 */
public interface Monitor {
    /** The application's name. */
    String name();

    /** The application. */
    Application application();

    /** The settings the application runs with. */
    Settings settings();

    /** The arbiter's loop, where the monitor and its hooks run. */
    EventLoop loop();

    /** Proxies of the running workers, oldest first. */
    List<ActorProxy> workers();

    /**
     * Grows or shrinks the pool to {@code workers}; shrinking stops the oldest workers first,
     * gracefully. The same as {@code config set workers N} on the application.
     *
     * @throws IllegalArgumentException when {@code workers} is negative or too large
     */
    void scale(int workers);

    /**
     * Replaces every worker with a fresh one (SIGHUP on {@code pulsar run}): each new worker
     * runs before an old one is stopped, so the application never stops serving.
     */
    void reload();

    /**
     * Retires worker {@code aid} gracefully ({@code max_requests}): a replacement is spawned, and
     * the worker is stopped once the replacement runs. Unknown or retiring workers are ignored.
     */
    void retire(String aid);

    /** What {@code info} on the application returns: its settings summary and its workers. */
    Map<String, Object> info();

    /** Whether the application runs (started, and neither stopping nor stopped). */
    boolean isRunning();

    /**
     * Stops the application: {@code monitorStopping}, then every worker gracefully (killed after
     * {@code graceful_timeout}).
     *
     * @return completes when every worker has ended
     */
    CompletableFuture<Void> stop();

    /**
     * Completes when the application has stopped: normally after {@link #stop()}, exceptionally
     * with a {@link pulsar.PulsarException} naming the cause when the crash-loop brake stopped it.
     */
    CompletableFuture<Void> stopped();
}
