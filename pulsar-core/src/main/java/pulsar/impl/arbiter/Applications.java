package pulsar.impl.arbiter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.impl.command.CommandContext;

/**
 * The applications of an arbiter, as the arbiter sees them: a seam that the application layer
 * (above this package) implements, so that the arbiter routes to monitors without knowing them.
 * Every method runs on the arbiter's loop.
 */
public interface Applications {
    /** Adds and starts {@code application}; see {@link pulsar.Arbiter#add}. */
    CompletableFuture<Monitor> add(Application application);

    /** The running application {@code name}'s monitor, or {@code null}. */
    Monitor get(String name);

    /** The running applications' monitors, in the order they were added. */
    List<Monitor> all();

    /**
     * Serves {@code app NAME COMMAND ARGS...}: a command addressed to an application.
     *
     * @return the reply, or a stage of it
     */
    Object command(CommandContext ctx) throws Exception;

    /** One supervision round of every monitor ({@code monitorTask}). */
    void tick();

    /** Stops every application (the arbiter stops); completes when their workers have ended. */
    CompletableFuture<Void> stopAll();
}
