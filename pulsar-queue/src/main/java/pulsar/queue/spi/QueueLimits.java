package pulsar.queue.spi;

import java.time.Duration;

/**
 * The bounds of a backend's memory and waits. Past {@code maxTasks} a submit fails with
 * {@code QUEUE_FULL}; arguments or a result over {@code maxTaskBytes} fail with {@code TOO_LARGE};
 * the oldest finished outcomes and dead letters are forgotten past their bounds.
 *
 * @param maxTasks tasks queued, scheduled and running at once
 * @param maxTaskBytes the largest arguments or result, bytes of JSON
 * @param maxResults finished outcomes kept for {@code status} and late {@code result} calls
 * @param maxDeadLetters dead letters kept for listing
 * @param maxWaiters consumers waiting in a long-poll fetch at once
 * @param maxFetchWait the longest a fetch waits for a task
 */
public record QueueLimits(int maxTasks, int maxTaskBytes, int maxResults, int maxDeadLetters, int maxWaiters,
        Duration maxFetchWait) {
    /** One million tasks at once. */
    public static final int DEFAULT_MAX_TASKS = 1_000_000;
    /** 1 MiB of JSON arguments or result. */
    public static final int DEFAULT_MAX_TASK_BYTES = 1024 * 1024;
    /** The last 100,000 outcomes. */
    public static final int DEFAULT_MAX_RESULTS = 100_000;
    /** The last 10,000 dead letters. */
    public static final int DEFAULT_MAX_DEAD_LETTERS = 10_000;
    /** 10,000 waiting consumers. */
    public static final int DEFAULT_MAX_WAITERS = 10_000;
    /** A fetch waits at most 30 s. */
    public static final Duration DEFAULT_MAX_FETCH_WAIT = Duration.ofSeconds(30);

    /** Checks every bound. */
    public QueueLimits {
        positive("max_tasks", maxTasks);
        positive("max_task_bytes", maxTaskBytes);
        positive("max_results", maxResults);
        positive("max_dead_letters", maxDeadLetters);
        positive("max_waiters", maxWaiters);
        if (maxFetchWait == null || maxFetchWait.isNegative() || maxFetchWait.isZero()) {
            throw new IllegalArgumentException("queue limit max_fetch_wait: " + maxFetchWait + " is not positive");
        }
    }

    /** The defaults. */
    public static QueueLimits defaults() {
        return new QueueLimits(DEFAULT_MAX_TASKS, DEFAULT_MAX_TASK_BYTES, DEFAULT_MAX_RESULTS, DEFAULT_MAX_DEAD_LETTERS,
                DEFAULT_MAX_WAITERS, DEFAULT_MAX_FETCH_WAIT);
    }

    /** A copy with {@code maxTasks}. */
    public QueueLimits withMaxTasks(int n) {
        return new QueueLimits(n, maxTaskBytes, maxResults, maxDeadLetters, maxWaiters, maxFetchWait);
    }

    /** A copy with {@code maxTaskBytes}. */
    public QueueLimits withMaxTaskBytes(int n) {
        return new QueueLimits(maxTasks, n, maxResults, maxDeadLetters, maxWaiters, maxFetchWait);
    }

    /** A copy with {@code maxResults}. */
    public QueueLimits withMaxResults(int n) {
        return new QueueLimits(maxTasks, maxTaskBytes, n, maxDeadLetters, maxWaiters, maxFetchWait);
    }

    /** A copy with {@code maxDeadLetters}. */
    public QueueLimits withMaxDeadLetters(int n) {
        return new QueueLimits(maxTasks, maxTaskBytes, maxResults, n, maxWaiters, maxFetchWait);
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("queue limit " + name + ": " + v + " is not positive");
        }
    }
}
