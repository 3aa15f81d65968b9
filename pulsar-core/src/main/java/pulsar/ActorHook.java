package pulsar;

import java.io.Serializable;

/**
 * A lifecycle hook ({@code onStart}, {@code onStop}) given to {@link Spawn}. It is
 * {@link Serializable} so that a plain lambda reaches a child JVM; it runs on the actor's
 * event loop and must not block it. Capture only serializable values.
 */
@FunctionalInterface
public interface ActorHook extends Serializable {
    /**
     * Runs the hook.
     *
     * @param actor the actor the hook runs in (also {@link Pulsar#getActor()})
     * @throws Exception to fail the hook: a failing {@code onStart} fails the spawn
     */
    void accept(Actor actor) throws Exception;
}
