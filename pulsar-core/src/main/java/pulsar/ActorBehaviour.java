package pulsar;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hooks written as methods of a class, named with {@link Spawn#behaviour(Class)}. The class
 * needs a public no-argument constructor; one instance is made per actor, on the actor's loop
 * (in the child JVM for process actors). Every method runs on the actor's event loop, may
 * return a stage so as not to block it, and does nothing by default.
 */
public interface ActorBehaviour {
    /** Called once, after the handshake and before the spawn future completes. */
    default CompletionStage<?> onStart(Actor actor) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** Called once when the actor stops, whatever stops it. */
    default CompletionStage<?> onStop(Actor actor) throws Exception {
        return CompletableFuture.completedFuture(null);
    }

    /** Adds entries to the actor's {@code info}. */
    default void onInfo(Actor actor, Map<String, Object> info) throws Exception {
    }
}
