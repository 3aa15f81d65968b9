package pulsar.queue;

import java.util.concurrent.CompletableFuture;

/**
 * The future of a submitted task: its id is known at once; it completes with the task's result
 * (decoded JSON: {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code null},
 * {@code List}, {@code Map}), or fails with a {@link TaskException} (the worker's error text for a
 * task that threw). Completing or cancelling this future does not touch the task: use
 * {@link #cancelTask()}.
 */
public final class TaskFuture extends CompletableFuture<Object> {
    private final String id;
    private final TaskQueue queue;

    TaskFuture(String id, TaskQueue queue) {
        this.id = id;
        this.queue = queue;
    }

    /** The task id. */
    public String id() {
        return id;
    }

    /** Cancels the task if it has not started; this future then fails with {@code CANCELLED}. */
    public CompletableFuture<Boolean> cancelTask() {
        return queue.cancel(id);
    }

    /** What the queue knows of the task now. */
    public CompletableFuture<TaskStatus> status() {
        return queue.status(id);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
