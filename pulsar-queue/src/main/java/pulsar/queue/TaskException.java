package pulsar.queue;

import java.util.Objects;

/**
 * The one exception of the task queue: a {@link TaskFailure} and a message (for a task that
 * threw, the worker's error text). A submitted task's future fails with it, and so do queue
 * calls. Expected failures (unknown task, cancelled, queue full) carry no stack trace.
 */
public final class TaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final TaskFailure failure;

    /** A failure of kind {@code failure}. */
    public TaskException(TaskFailure failure, String message) {
        this(failure, message, null);
    }

    /** A failure of kind {@code failure} caused by {@code cause}. */
    public TaskException(TaskFailure failure, String message, Throwable cause) {
        super(message, cause, false, failure == TaskFailure.BACKEND);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** Why the task or call failed. */
    public TaskFailure failure() {
        return failure;
    }

    /** The error as it travels: the code, a space, the message. */
    public String toWireError() {
        return failure.code() + " " + (getMessage() == null ? "" : getMessage());
    }

    /**
     * The exception for a wire error ({@code CODE message}, optionally after a RESP
     * {@code ERR }); text without a known code is a {@link TaskFailure#BACKEND} failure.
     */
    public static TaskException fromWireError(String text) {
        String s = text == null ? "" : text;
        if (s.startsWith("ERR ")) {
            s = s.substring(4);
        }
        int space = s.indexOf(' ');
        TaskFailure kind = TaskFailure.ofCode(space < 0 ? s : s.substring(0, space));
        if (kind == null) {
            return new TaskException(TaskFailure.BACKEND, text);
        }
        return new TaskException(kind, space < 0 ? "" : s.substring(space + 1));
    }

    @Override
    public String toString() {
        return "TaskException[" + failure + "]: " + getMessage();
    }
}
