package pulsar.queue;

import java.util.Locale;

/**
 * Why a task or a queue call failed: a closed vocabulary. Each kind travels as its name (a
 * wire code, e.g. {@code UNKNOWN_TASK}) in task outcomes and at the start of the queue commands'
 * RESP errors ({@code -ERR UNKNOWN_TASK no task named 'x'}), the same from every backend.
 */
public enum TaskFailure {
    /** No worker knows a task of that name. Not retried. */
    UNKNOWN_TASK,
    /** The arguments or a message field are not valid: bad JSON, or values that do not fit the task. Not retried. */
    BAD_ARGUMENTS,
    /** The arguments or the result are larger than the queue accepts. */
    TOO_LARGE,
    /** The queue holds as many tasks as it may; submit again later. */
    QUEUE_FULL,
    /** The task ran and threw; the error text is the worker's. */
    TASK_ERROR,
    /** The task was delivered {@code max_deliveries} times without finishing and is a dead letter. */
    DEAD_LETTER,
    /** The task was cancelled before it ran. */
    CANCELLED,
    /** No task has that id (or its outcome has expired). */
    NO_SUCH_TASK,
    /** The backend failed or could not be reached. */
    BACKEND;

    /** The wire code: the name. */
    public String code() {
        return name();
    }

    /** The kind whose code is {@code code}, or {@code null}. */
    public static TaskFailure ofCode(String code) {
        if (code == null) {
            return null;
        }
        try {
            return valueOf(code.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
