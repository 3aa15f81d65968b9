package pulsar.queue.spi;

import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskState;

/**
 * How a task ended, as a backend delivers it to the submitter.
 *
 * @param id the task id
 * @param state {@code DONE}, {@code FAILED}, {@code DEAD} or {@code CANCELLED}
 * @param result the JSON text of the result when done, else {@code null}
 * @param failure the kind of failure, {@code null} when done
 * @param error the error text (the worker's, for a task that threw), {@code null} when done
 */
public record TaskOutcome(String id, TaskState state, String result, TaskFailure failure, String error) {
    /** Checks that the state is final and matches the fields. */
    public TaskOutcome {
        if (!state.isFinal()) {
            throw new IllegalArgumentException("task outcome: " + state + " is not a final state");
        }
        if ((state == TaskState.DONE) != (failure == null)) {
            throw new IllegalArgumentException("task outcome: " + state + " with failure " + failure);
        }
    }

    /** A result. */
    public static TaskOutcome done(String id, String resultJson) {
        return new TaskOutcome(id, TaskState.DONE, resultJson, null, null);
    }

    /** The exception a submitter's future fails with, for an outcome that is not {@code DONE}. */
    public TaskException exception() {
        return new TaskException(failure, error == null ? "" : error);
    }
}
