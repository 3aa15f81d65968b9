package pulsar;

import java.io.Serializable;
import java.util.Map;

/**
 * The {@code onInfo} hook: adds entries to the map the {@code info} command returns.
 * Runs on the actor's event loop.
 */
@FunctionalInterface
public interface InfoHook extends Serializable {
    /**
     * Adds to {@code info}.
     *
     * @param actor the actor asked for its info
     * @param info a mutable map, already holding the standard entries
     */
    void accept(Actor actor, Map<String, Object> info) throws Exception;
}
