package pulsar.impl.supervise;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pulsar.Settings;

/**
 * Starts actors of one kind (thread, process, ...) for the {@link Supervisor}: the one place
 * where kinds differ. A new kind of actor is a new launcher, not a new branch.
 */
public interface Launcher {
    /**
     * Starts the actor {@code request} describes. Its exit, whenever it comes, is reported once
     * through {@link LaunchRequest#onExit()}.
     *
     * @throws IOException when it cannot be started at all (no exit is reported then)
     */
    LaunchedActor launch(LaunchRequest request) throws IOException;

    /** The arbiter runs with {@code settings}: a chance to prepare (warm spares). */
    default void prepare(Settings settings) {
    }

    /** What it keeps ready for later launches (warm spare JVMs), one map each, for the arbiter's {@code info}. */
    default List<Map<String, Object>> spares() {
        return List.of();
    }

    /** The arbiter stops: release what {@link #prepare} made; completes when it is gone. */
    default CompletableFuture<Void> close() {
        return CompletableFuture.completedFuture(null);
    }
}
