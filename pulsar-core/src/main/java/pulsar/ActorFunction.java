package pulsar;

import java.io.Serializable;
import java.util.List;

/**
 * A function that the {@code run} command executes on a remote actor's event loop:
 * {@code (actor, args) -> result}. It is {@link Serializable} so a plain lambda travels to
 * another actor, thread or process. It may return a {@link java.util.concurrent.CompletionStage},
 * whose outcome then becomes the reply without blocking the loop.
 *
 * @param <R> the result type: a string, number, boolean, null, list, map or a serializable object
 */
@FunctionalInterface
public interface ActorFunction<R> extends Serializable {
    /**
     * Runs on the target actor's loop.
     *
     * @param actor the actor running the function
     * @param args the extra arguments given to {@code run}, decoded
     * @return the reply value, or a completion stage of it
     * @throws Exception to fail the call: the caller's future fails with a remote error
     */
    R apply(Actor actor, List<Object> args) throws Exception;
}
