package pulsar.queue;

/** Where a task is in its life. The last four are final. */
public enum TaskState {
    /** Waiting for a worker (again, after a lost delivery). */
    QUEUED,
    /** Waiting for its retry time after a failed delivery (backoff). */
    SCHEDULED,
    /** Delivered to a worker whose lease has not expired. */
    RUNNING,
    /** Finished with a result. */
    DONE,
    /** Finished with an error, not retried. */
    FAILED,
    /** Delivered {@code max_deliveries} times without finishing: a dead letter. */
    DEAD,
    /** Cancelled before it ran. */
    CANCELLED;

    /** Whether the task has finished (its outcome is known). */
    public boolean isFinal() {
        return ordinal() >= DONE.ordinal();
    }
}
