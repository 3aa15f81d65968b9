package pulsar.queue.impl;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueLimits;
import pulsar.queue.spi.Receipt;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * The in-memory backend: one lock over plain collections. Ready tasks wait in one deque per
 * queue and priority; leases are checked against the injected clock at every fetch and by a
 * ticker (every 100 ms, so that waiting consumers hear of expired leases and due retries).
 * Futures are completed after the lock is released, never under it.
 */
final class EmbeddedBackend implements QueueBackend {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBackend.class);
    private static final int PRIORITIES = TaskOptions.MAX_PRIORITY + 1;
    private static final long TICK_MILLIS = 100;
    private static final int MAX_BATCH = 10_000;
    private static final int MAX_RESULT_WAITERS_PER_TASK = 1_000;

    private final InstantSource clock;
    private final QueueLimits limits;
    private final boolean closeable;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledThreadPoolExecutor timer;

    private final Map<String, Entry> live = new HashMap<>();
    private final Map<String, Lanes> ready = new HashMap<>();
    private final PriorityQueue<Entry> scheduled = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.dueAt).thenComparingLong(e -> e.seq));
    private final Map<String, Set<Entry>> leased = new HashMap<>();
    private final Map<String, Finished> finished;
    private final ArrayDeque<TaskStatus> dead = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Map<String, List<CompletableFuture<TaskOutcome>>> resultWaiters = new HashMap<>();
    private final Rates submitRate = new Rates();
    private final Rates doneRate = new Rates();
    private int readyCount;
    private int runningCount;
    private long nextExpiry = Long.MAX_VALUE;
    private long seq;
    private long submitted;
    private long doneCount;
    private long failedCount;
    private long deadCount;
    private long cancelledCount;
    private long redelivered;
    private boolean closed;

    EmbeddedBackend(InstantSource clock, QueueLimits limits, boolean closeable) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.closeable = closeable;
        int maxResults = limits.maxResults();
        this.finished = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
                return size() > maxResults;
            }
        };
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pulsar-queue-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One task while the backend holds it. Guarded by {@link #lock}. */
    private static final class Entry {
        final TaskMessage m;
        final long seq;
        TaskState state = TaskState.QUEUED;
        int deliveries;
        String consumer;
        long leaseUntil;
        long dueAt;
        TaskFailure failure;
        String error;

        Entry(TaskMessage m, long seq) {
            this.m = m;
            this.seq = seq;
        }
    }

    /** The ready tasks of one queue, a deque per priority. */
    private static final class Lanes {
        final List<ArrayDeque<Entry>> byPriority = new ArrayList<>(PRIORITIES);
        int count;

        Lanes() {
            for (int i = 0; i < PRIORITIES; i++) {
                byPriority.add(new ArrayDeque<>());
            }
        }
    }

    private record Finished(TaskStatus status, TaskOutcome outcome) {
    }

    private static final class Waiter {
        final String consumer;
        final List<String> queues;
        final int max;
        final CompletableFuture<List<Delivery>> future = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        Waiter(String consumer, List<String> queues, int max) {
            this.consumer = consumer;
            this.queues = queues;
            this.max = max;
        }
    }

    // ---- QueueBackend

    @Override
    public CompletableFuture<String> enqueue(TaskMessage task) {
        Objects.requireNonNull(task, "task");
        if (tooLarge(task.args())) {
            return failed(TaskFailure.TOO_LARGE, "the arguments of task '" + task.name() + "' are more than max_task_bytes ("
                    + limits.maxTaskBytes() + " bytes of JSON)");
        }
        List<Runnable> after = new ArrayList<>(1);
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            if (live.size() >= limits.maxTasks()) {
                return failed(TaskFailure.QUEUE_FULL, "the queue holds " + live.size() + " tasks, its max_tasks; submit later");
            }
            if (live.containsKey(task.id())) {
                return failed(TaskFailure.BAD_ARGUMENTS, "task id '" + task.id() + "' is already queued");
            }
            long now = clock.millis();
            Entry e = new Entry(task, seq++);
            live.put(task.id(), e);
            pushReady(e, false);
            submitted++;
            submitRate.add(now);
            if (!waiters.isEmpty()) {
                serveWaiters(now, after);
            }
        } finally {
            lock.unlock();
        }
        run(after);
        return CompletableFuture.completedFuture(task.id());
    }

    @Override
    public CompletableFuture<List<Delivery>> fetch(String consumer, List<String> queues, int max, Duration wait) {
        try {
            checkConsumer(consumer);
            Objects.requireNonNull(queues, "queues");
            if (queues.isEmpty()) {
                throw new IllegalArgumentException("fetch needs at least one queue");
            }
            queues.forEach(TaskOptions::checkQueue);
            if (max < 1 || max > MAX_BATCH) {
                throw new IllegalArgumentException("fetch max: " + max + " is not between 1 and " + MAX_BATCH);
            }
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("fetch wait: " + wait + " is not zero or positive");
            }
        } catch (IllegalArgumentException e) {
            return failed(TaskFailure.BAD_ARGUMENTS, e.getMessage());
        }
        long waitMillis = Math.min(wait.toMillis(), limits.maxFetchWait().toMillis());
        List<String> names = List.copyOf(queues);
        List<Runnable> after = new ArrayList<>(0);
        CompletableFuture<List<Delivery>> result;
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            long now = clock.millis();
            sweep(now, after);
            List<Delivery> got = new ArrayList<>(Math.min(max, 16));
            take(consumer, names, max, now, got);
            if (!got.isEmpty() || waitMillis == 0) {
                result = CompletableFuture.completedFuture(got);
            } else if (waiters.size() >= limits.maxWaiters()) {
                result = failed(TaskFailure.QUEUE_FULL, waiters.size() + " consumers already wait for tasks (max_waiters)");
            } else {
                Waiter w = new Waiter(consumer, names, max);
                waiters.add(w);
                w.timeout = timer.schedule(() -> expire(w), waitMillis, TimeUnit.MILLISECONDS);
                result = w.future;
            }
        } finally {
            lock.unlock();
        }
        run(after);
        return result;
    }

    @Override
    public CompletableFuture<Boolean> ack(String consumer, Receipt receipt, String resultJson) {
        Objects.requireNonNull(receipt, "receipt");
        String result = resultJson == null ? "null" : resultJson;
        boolean large = tooLarge(result);
        List<Runnable> after = new ArrayList<>(1);
        boolean finishedNow;
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            Entry e = live.get(receipt.taskId());
            finishedNow = e != null;
            if (e != null) {
                long now = clock.millis();
                if (large) {
                    finish(e, TaskState.FAILED, null, TaskFailure.TOO_LARGE, "the result of task '" + e.m.name()
                            + "' is more than max_task_bytes (" + limits.maxTaskBytes() + " bytes of JSON)", now, after);
                } else {
                    finish(e, TaskState.DONE, result, null, null, now, after);
                }
            }
        } finally {
            lock.unlock();
        }
        run(after);
        return CompletableFuture.completedFuture(finishedNow);
    }

    @Override
    public CompletableFuture<Boolean> fail(String consumer, Receipt receipt, TaskFailure failure, String error, boolean retry) {
        Objects.requireNonNull(receipt, "receipt");
        TaskFailure kind = failure == null ? TaskFailure.TASK_ERROR : failure;
        String text = error == null ? "" : error;
        List<Runnable> after = new ArrayList<>(1);
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            Entry e = live.get(receipt.taskId());
            if (e == null || e.state != TaskState.RUNNING || e.deliveries != receipt.delivery()) {
                return CompletableFuture.completedFuture(false);
            }
            long now = clock.millis();
            unlease(e);
            e.failure = kind;
            e.error = text;
            TaskOptions o = e.m.options();
            if (retry && e.deliveries < o.maxDeliveries()) {
                e.state = TaskState.SCHEDULED;
                e.dueAt = now + o.backoffMillis(e.deliveries);
                scheduled.add(e);
            } else if (retry) {
                finish(e, TaskState.DEAD, null, TaskFailure.DEAD_LETTER, "failed " + e.deliveries + " deliveries of "
                        + o.maxDeliveries() + "; last error: " + text, now, after);
            } else {
                finish(e, TaskState.FAILED, null, kind, text, now, after);
            }
            if (!waiters.isEmpty()) {
                serveWaiters(now, after);
            }
        } finally {
            lock.unlock();
        }
        run(after);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Integer> release(String consumer) {
        List<Runnable> after = new ArrayList<>(0);
        int n;
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            // its pending fetches end empty: a task handed to a dead consumer would wait out its lease
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.consumer.equals(consumer)) {
                    it.remove();
                    w.timeout.cancel(false);
                    after.add(() -> w.future.complete(List.of()));
                }
            }
            Set<Entry> mine = leased.get(consumer);
            List<Entry> copy = mine == null ? List.of() : new ArrayList<>(mine);
            n = copy.size();
            long now = clock.millis();
            for (Entry e : copy) {
                lost(e, "its consumer " + consumer + " was released (it died or stopped)", now, after);
            }
            serveWaiters(now, after);
        } finally {
            lock.unlock();
        }
        run(after);
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<Boolean> cancel(String id) {
        List<Runnable> after = new ArrayList<>(1);
        boolean cancelled;
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            Entry e = live.get(id);
            cancelled = e != null && e.state != TaskState.RUNNING;
            if (cancelled) {
                finish(e, TaskState.CANCELLED, null, TaskFailure.CANCELLED, "task " + id + " was cancelled before it ran",
                        clock.millis(), after);
            }
        } finally {
            lock.unlock();
        }
        run(after);
        return CompletableFuture.completedFuture(cancelled);
    }

    @Override
    public CompletableFuture<TaskOutcome> result(String id) {
        CompletableFuture<TaskOutcome> f;
        lock.lock();
        try {
            if (closed) {
                return closedFailure();
            }
            if (live.containsKey(id)) {
                List<CompletableFuture<TaskOutcome>> list = resultWaiters.computeIfAbsent(id, k -> new ArrayList<>(1));
                if (list.size() >= MAX_RESULT_WAITERS_PER_TASK) {
                    return failed(TaskFailure.QUEUE_FULL, list.size() + " callers already wait for task " + id);
                }
                f = new CompletableFuture<>();
                list.add(f);
            } else {
                Finished fin = finished.get(id);
                if (fin != null) {
                    return CompletableFuture.completedFuture(fin.outcome);
                }
                return failed(TaskFailure.NO_SUCH_TASK, "no task '" + id + "' (unknown, or its outcome is no longer kept)");
            }
        } finally {
            lock.unlock();
        }
        // A caller that gives up (a timeout completes f) must not leave its waiter behind.
        f.whenComplete((o, t) -> forgetWaiter(id, f));
        return f;
    }

    @Override
    public CompletableFuture<TaskStatus> status(String id) {
        lock.lock();
        try {
            Entry e = live.get(id);
            if (e != null) {
                return CompletableFuture.completedFuture(statusOf(e));
            }
            Finished fin = finished.get(id);
            return CompletableFuture.completedFuture(fin == null ? null : fin.status);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<List<TaskStatus>> deadLetters(int limit) {
        if (limit < 1) {
            return failed(TaskFailure.BAD_ARGUMENTS, "dead letter limit: " + limit + " is not positive");
        }
        lock.lock();
        try {
            List<TaskStatus> all = new ArrayList<>(dead);
            return CompletableFuture.completedFuture(List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size())));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<QueueStats> stats() {
        lock.lock();
        try {
            long now = clock.millis();
            Map<String, Long> byQueue = new java.util.TreeMap<>();
            ready.forEach((q, l) -> byQueue.put(q, (long) l.count));
            return CompletableFuture.completedFuture(new QueueStats(readyCount, scheduled.size(), runningCount, submitted,
                    doneCount, failedCount, deadCount, cancelledCount, redelivered, submitRate.perSecond(now),
                    doneRate.perSecond(now), byQueue));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closeable) {
            shutdown();
        }
    }

    /** Closes even the shared backend: waiting calls fail with {@code BACKEND}. */
    void shutdown() {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            TaskException gone = new TaskException(TaskFailure.BACKEND, "the embedded queue was closed");
            for (Waiter w : waiters) {
                after.add(() -> w.future.completeExceptionally(gone));
            }
            waiters.clear();
            for (List<CompletableFuture<TaskOutcome>> list : resultWaiters.values()) {
                List<CompletableFuture<TaskOutcome>> copy = List.copyOf(list);
                after.add(() -> copy.forEach(f -> f.completeExceptionally(gone)));
            }
            resultWaiters.clear();
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
        run(after);
    }

    // ---- the state machine, under the lock

    private void pushReady(Entry e, boolean front) {
        Lanes l = ready.computeIfAbsent(e.m.options().queue(), k -> new Lanes());
        ArrayDeque<Entry> lane = l.byPriority.get(e.m.options().priority());
        if (front) {
            lane.addFirst(e);
        } else {
            lane.addLast(e);
        }
        e.state = TaskState.QUEUED;
        l.count++;
        readyCount++;
    }

    private void removeReady(Entry e) {
        String q = e.m.options().queue();
        Lanes l = ready.get(q);
        if (l != null && l.byPriority.get(e.m.options().priority()).remove(e)) {
            l.count--;
            readyCount--;
            if (l.count == 0) {
                ready.remove(q);
            }
        }
    }

    private void take(String consumer, List<String> queues, int max, long now, List<Delivery> out) {
        for (int p = PRIORITIES - 1; p >= 0 && out.size() < max && readyCount > 0; p--) {
            for (int i = 0; i < queues.size() && out.size() < max; i++) {
                String q = queues.get(i);
                Lanes l = ready.get(q);
                if (l == null) {
                    continue;
                }
                ArrayDeque<Entry> lane = l.byPriority.get(p);
                Entry e;
                while (out.size() < max && (e = lane.pollFirst()) != null) {
                    l.count--;
                    readyCount--;
                    out.add(deliver(e, consumer, now));
                }
                if (l.count == 0) {
                    ready.remove(q);
                }
            }
        }
    }

    private Delivery deliver(Entry e, String consumer, long now) {
        e.state = TaskState.RUNNING;
        e.deliveries++;
        e.consumer = consumer;
        e.leaseUntil = now + e.m.options().timeoutMillis();
        leased.computeIfAbsent(consumer, k -> new HashSet<>()).add(e);
        runningCount++;
        nextExpiry = Math.min(nextExpiry, e.leaseUntil);
        return new Delivery(e.m, e.deliveries, e.leaseUntil, "");
    }

    private void unlease(Entry e) {
        Set<Entry> mine = leased.get(e.consumer);
        if (mine != null && mine.remove(e)) {
            runningCount--;
            if (mine.isEmpty()) {
                leased.remove(e.consumer);
            }
        }
        e.consumer = null;
    }

    /** Moves due retries to their queues and takes back expired leases. */
    private void sweep(long now, List<Runnable> after) {
        while (!scheduled.isEmpty() && scheduled.peek().dueAt <= now) {
            pushReady(scheduled.poll(), false);
        }
        if (now < nextExpiry) {
            return;
        }
        long next = Long.MAX_VALUE;
        List<Entry> expired = new ArrayList<>();
        for (Set<Entry> mine : leased.values()) {
            for (Entry e : mine) {
                if (e.leaseUntil <= now) {
                    expired.add(e);
                } else {
                    next = Math.min(next, e.leaseUntil);
                }
            }
        }
        nextExpiry = next;
        for (Entry e : expired) {
            lost(e, "its lease of " + e.m.options().timeoutMillis() + " ms expired on consumer " + e.consumer, now, after);
        }
    }

    /** A delivery that will not be acknowledged: queued again, or a dead letter after the last. */
    private void lost(Entry e, String reason, long now, List<Runnable> after) {
        unlease(e);
        int max = e.m.options().maxDeliveries();
        if (e.deliveries >= max) {
            finish(e, TaskState.DEAD, null, TaskFailure.DEAD_LETTER, "delivered " + e.deliveries + " times of " + max
                    + " without finishing; last: " + reason + (e.error == null ? "" : "; last error: " + e.error), now, after);
        } else {
            e.failure = null;
            e.error = "delivery " + e.deliveries + " lost: " + reason;
            pushReady(e, true);
            redelivered++;
        }
    }

    private void finish(Entry e, TaskState state, String result, TaskFailure failure, String error, long now,
            List<Runnable> after) {
        switch (e.state) {
            case RUNNING -> unlease(e);
            case QUEUED -> removeReady(e);
            case SCHEDULED -> scheduled.remove(e);
            default -> {
            }
        }
        String id = e.m.id();
        live.remove(id);
        e.state = state;
        e.failure = failure;
        if (error != null) {
            e.error = error;
        } else if (state == TaskState.DONE) {
            e.error = null;
        }
        switch (state) {
            case DONE -> doneCount++;
            case FAILED -> failedCount++;
            case DEAD -> deadCount++;
            default -> cancelledCount++;
        }
        doneRate.add(now);
        TaskOutcome outcome = new TaskOutcome(id, state, result, failure, error);
        TaskStatus status = statusOf(e);
        finished.put(id, new Finished(status, outcome));
        if (state == TaskState.DEAD) {
            dead.addLast(status);
            if (dead.size() > limits.maxDeadLetters()) {
                dead.pollFirst();
            }
            log.warn("task {} ({}) is a dead letter: {}", id, e.m.name(), error);
        }
        List<CompletableFuture<TaskOutcome>> list = resultWaiters.remove(id);
        if (list != null) {
            after.add(() -> list.forEach(f -> f.complete(outcome)));
        }
    }

    private void serveWaiters(long now, List<Runnable> after) {
        Iterator<Waiter> it = waiters.iterator();
        while (readyCount > 0 && it.hasNext()) {
            Waiter w = it.next();
            List<Delivery> got = new ArrayList<>(Math.min(w.max, 16));
            take(w.consumer, w.queues, w.max, now, got);
            if (!got.isEmpty()) {
                it.remove();
                w.timeout.cancel(false);
                after.add(() -> hand(w, got));
            }
        }
    }

    private static TaskStatus statusOf(Entry e) {
        TaskOptions o = e.m.options();
        return new TaskStatus(e.m.id(), e.m.name(), o.queue(), o.priority(), e.state, e.deliveries, o.maxDeliveries(),
                e.failure, e.error);
    }

    // ---- outside the lock

    /** Completes a waiting fetch; if its caller gave up meanwhile, the tasks go back, uncounted. */
    private void hand(Waiter w, List<Delivery> got) {
        if (w.future.complete(got)) {
            return;
        }
        List<Runnable> after = new ArrayList<>(0);
        lock.lock();
        try {
            for (Delivery d : got) {
                Entry e = live.get(d.task().id());
                if (e != null && e.state == TaskState.RUNNING && e.deliveries == d.delivery()) {
                    unlease(e);
                    e.deliveries--;
                    pushReady(e, true);
                }
            }
            serveWaiters(clock.millis(), after);
        } finally {
            lock.unlock();
        }
        run(after);
    }

    private void expire(Waiter w) {
        boolean removed;
        lock.lock();
        try {
            removed = waiters.remove(w);
        } finally {
            lock.unlock();
        }
        if (removed) {
            w.future.complete(List.of());
        }
    }

    private void forgetWaiter(String id, CompletableFuture<TaskOutcome> f) {
        lock.lock();
        try {
            List<CompletableFuture<TaskOutcome>> list = resultWaiters.get(id);
            if (list != null && list.remove(f) && list.isEmpty()) {
                resultWaiters.remove(id);
            }
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        List<Runnable> after = new ArrayList<>(0);
        lock.lock();
        try {
            if (closed || (scheduled.isEmpty() && runningCount == 0)) {
                return;
            }
            long now = clock.millis();
            sweep(now, after);
            if (!waiters.isEmpty()) {
                serveWaiters(now, after);
            }
        } catch (RuntimeException e) {
            log.error("embedded queue: the ticker failed", e);
        } finally {
            lock.unlock();
        }
        run(after);
    }

    private static void run(List<Runnable> after) {
        for (Runnable r : after) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("embedded queue: a completion callback failed", e);
            }
        }
    }

    private boolean tooLarge(String json) {
        int max = limits.maxTaskBytes();
        int chars = json.length();
        if (chars > max) {
            return true;
        }
        if ((long) chars * 3 <= max) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = json.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes > max;
    }

    private static void checkConsumer(String consumer) {
        if (consumer == null || consumer.isBlank() || consumer.length() > 256) {
            throw new IllegalArgumentException("consumer: '" + consumer + "' is not 1 to 256 characters");
        }
    }

    private static <T> CompletableFuture<T> failed(TaskFailure kind, String message) {
        return CompletableFuture.failedFuture(new TaskException(kind, message));
    }

    private static <T> CompletableFuture<T> closedFailure() {
        return failed(TaskFailure.BACKEND, "the embedded queue is closed");
    }
}
