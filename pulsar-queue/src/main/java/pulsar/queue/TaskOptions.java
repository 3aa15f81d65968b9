package pulsar.queue;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a task is queued and delivered: an immutable value, changed with {@code withX} copies
 * that check their argument at once.
 * <pre>{@code
 * queue.submit(TaskOptions.defaults().withQueue("emails").withPriority(9).withMaxDeliveries(3), "send", to)
 * }</pre>
 */
public final class TaskOptions {
    /** The queue tasks go to unless told otherwise. */
    public static final String DEFAULT_QUEUE = "default";
    /** Priorities run from 0 to 9, higher first; 0 by default. */
    public static final int DEFAULT_PRIORITY = 0;
    /** The highest priority. */
    public static final int MAX_PRIORITY = 9;
    /** Five deliveries, then a task that never finishes is a dead letter. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** A delivery's lease: a task still running after it is delivered again. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** A task that throws fails at once unless told to retry. */
    public static final boolean DEFAULT_RETRY_ON_ERROR = false;
    /** The first retry waits 1 s ... */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    /** ... and each next one twice as long ... */
    public static final double DEFAULT_BACKOFF_FACTOR = 2.0;
    /** ... up to 60 s. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final TaskOptions DEFAULTS = new TaskOptions(DEFAULT_QUEUE, DEFAULT_PRIORITY, DEFAULT_MAX_DELIVERIES,
            DEFAULT_TIMEOUT.toMillis(), DEFAULT_RETRY_ON_ERROR, DEFAULT_BACKOFF.toMillis(), DEFAULT_BACKOFF_FACTOR,
            DEFAULT_BACKOFF_MAX.toMillis());

    private final String queue;
    private final int priority;
    private final int maxDeliveries;
    private final long timeoutMillis;
    private final boolean retryOnError;
    private final long backoffMillis;
    private final double backoffFactor;
    private final long backoffMaxMillis;

    private TaskOptions(String queue, int priority, int maxDeliveries, long timeoutMillis, boolean retryOnError,
            long backoffMillis, double backoffFactor, long backoffMaxMillis) {
        this.queue = checkQueue(queue);
        this.priority = check("priority", priority, 0, MAX_PRIORITY);
        this.maxDeliveries = check("max_deliveries", maxDeliveries, 1, 1000);
        this.timeoutMillis = check("timeout_ms", timeoutMillis, 1, Duration.ofDays(1).toMillis());
        this.retryOnError = retryOnError;
        this.backoffMillis = check("backoff_ms", backoffMillis, 0, Duration.ofDays(1).toMillis());
        if (!(backoffFactor >= 1.0 && backoffFactor <= 100.0)) {
            throw new IllegalArgumentException("task option backoff_factor: " + backoffFactor + " is not between 1 and 100");
        }
        this.backoffFactor = backoffFactor;
        this.backoffMaxMillis = check("backoff_max_ms", backoffMaxMillis, 0, Duration.ofDays(1).toMillis());
    }

    /** The defaults: queue {@code default}, priority 0, 5 deliveries, 60 s timeout, no retry on error. */
    public static TaskOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Options from their wire values (the fields of a task message); every value is checked.
     *
     * @throws IllegalArgumentException naming the field and the bad value
     */
    public static TaskOptions of(String queue, int priority, int maxDeliveries, long timeoutMillis, boolean retryOnError,
            long backoffMillis, double backoffFactor, long backoffMaxMillis) {
        return new TaskOptions(queue, priority, maxDeliveries, timeoutMillis, retryOnError, backoffMillis, backoffFactor,
                backoffMaxMillis);
    }

    /** A copy for queue {@code name}: 1 to 64 letters, digits, {@code _ . : -}. */
    public TaskOptions withQueue(String name) {
        return new TaskOptions(name, priority, maxDeliveries, timeoutMillis, retryOnError, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    /** A copy with priority {@code p}, 0 to 9, higher first. */
    public TaskOptions withPriority(int p) {
        return new TaskOptions(queue, p, maxDeliveries, timeoutMillis, retryOnError, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    /** A copy allowing {@code n} deliveries (1 to 1000) before the task is a dead letter. */
    public TaskOptions withMaxDeliveries(int n) {
        return new TaskOptions(queue, priority, n, timeoutMillis, retryOnError, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    /** A copy whose deliveries last {@code timeout} (1 ms to 1 day): a task still running then is delivered again. */
    public TaskOptions withTimeout(Duration timeout) {
        return new TaskOptions(queue, priority, maxDeliveries, Objects.requireNonNull(timeout, "timeout").toMillis(),
                retryOnError, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    /** A copy that retries (or not) a task that throws, while deliveries remain, after the backoff. */
    public TaskOptions withRetryOnError(boolean retry) {
        return new TaskOptions(queue, priority, maxDeliveries, timeoutMillis, retry, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    /** A copy whose n-th retry waits {@code first * factor^(n-1)}, at most {@code max}. */
    public TaskOptions withBackoff(Duration first, double factor, Duration max) {
        return new TaskOptions(queue, priority, maxDeliveries, timeoutMillis, retryOnError,
                Objects.requireNonNull(first, "first").toMillis(), factor, Objects.requireNonNull(max, "max").toMillis());
    }

    /** The queue name. */
    public String queue() { return queue; }

    /** The priority, 0 to 9. */
    public int priority() { return priority; }

    /** The deliveries allowed. */
    public int maxDeliveries() { return maxDeliveries; }

    /** A delivery's lease, milliseconds. */
    public long timeoutMillis() { return timeoutMillis; }

    /** Whether a task that throws is retried. */
    public boolean retryOnError() { return retryOnError; }

    /** The first retry's delay, milliseconds. */
    public long backoffMillis() { return backoffMillis; }

    /** The factor between two retry delays. */
    public double backoffFactor() { return backoffFactor; }

    /** The longest retry delay, milliseconds. */
    public long backoffMaxMillis() { return backoffMaxMillis; }

    /** The delay before the retry that follows failed delivery number {@code delivery} (1 for the first). */
    public long backoffMillis(int delivery) {
        double d = backoffMillis * Math.pow(backoffFactor, Math.max(0, delivery - 1));
        return (long) Math.min(d, (double) backoffMaxMillis);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskOptions t && queue.equals(t.queue) && priority == t.priority && maxDeliveries == t.maxDeliveries
                && timeoutMillis == t.timeoutMillis && retryOnError == t.retryOnError && backoffMillis == t.backoffMillis
                && backoffFactor == t.backoffFactor && backoffMaxMillis == t.backoffMaxMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(queue, priority, maxDeliveries, timeoutMillis, retryOnError, backoffMillis, backoffFactor, backoffMaxMillis);
    }

    @Override
    public String toString() {
        return "TaskOptions[queue=" + queue + ", priority=" + priority + ", maxDeliveries=" + maxDeliveries + ", timeout="
                + timeoutMillis + "ms, retryOnError=" + retryOnError + ", backoff=" + backoffMillis + "ms*" + backoffFactor
                + "<=" + backoffMaxMillis + "ms]";
    }

    /** Checks a queue name: 1 to 64 letters, digits, {@code _ . : -}. */
    public static String checkQueue(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("task option queue: '" + name + "' is not 1 to 64 letters, digits, _ . : -");
        }
        return name;
    }

    private static int check(String field, int v, int min, int max) {
        return (int) check(field, (long) v, min, max);
    }

    private static long check(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("task option " + field + ": " + v + " is not between " + min + " and " + max);
        }
        return v;
    }
}
