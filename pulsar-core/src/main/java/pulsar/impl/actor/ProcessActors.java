package pulsar.impl.actor;

import java.util.concurrent.CompletableFuture;

/** Spawns and supervises process actors (child JVMs). */
final class ProcessActors {
    private ProcessActors() {
    }

    static void launch(ArbiterImpl arbiter, ActorRecord record) {
        record.future.completeExceptionally(new UnsupportedOperationException("process actors: not built yet"));
        arbiter.onExit(record, "not started");
    }

    static CompletableFuture<Void> stop(ArbiterImpl arbiter, ActorRecord record) {
        return CompletableFuture.completedFuture(null);
    }

    static void kill(ArbiterImpl arbiter, ActorRecord record) {
        arbiter.onExit(record, "killed");
    }
}
