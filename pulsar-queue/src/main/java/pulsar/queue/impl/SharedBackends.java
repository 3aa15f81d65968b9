package pulsar.queue.impl;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.Receipt;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * One backend per queue URL in this JVM, shared by whoever opens it here (an application's
 * monitor, its thread workers, a driver): one Redis client with its connections and threads
 * instead of one each. Each opener gets a handle; the backend closes with the last handle.
 */
public final class SharedBackends {
    private final Function<String, QueueBackend> opener;
    private final Map<String, Entry> byUrl = new HashMap<>(); // guarded by this

    private static final class Entry {
        final QueueBackend backend;
        int handles;

        Entry(QueueBackend backend) {
            this.backend = backend;
        }
    }

    /** Backends made by {@code opener} (a URL to a new backend). */
    public SharedBackends(Function<String, QueueBackend> opener) {
        this.opener = opener;
    }

    /**
     * A handle on the backend of {@code key} (a normalized URL), made on first use. Closing the
     * handle closes the backend when no other handle is open.
     */
    public QueueBackend open(String key) {
        Entry e;
        synchronized (this) {
            e = byUrl.get(key);
            if (e == null) {
                e = new Entry(opener.apply(key)); // opening may fail: nothing is recorded then
                byUrl.put(key, e);
            }
            e.handles++;
        }
        return new Handle(key, e);
    }

    /** How many handles are open on {@code key}'s backend (0 when it is closed). */
    public synchronized int handles(String key) {
        Entry e = byUrl.get(key);
        return e == null ? 0 : e.handles;
    }

    private void closed(String key, Entry e) {
        synchronized (this) {
            if (--e.handles > 0) {
                return;
            }
            byUrl.remove(key, e);
        }
        e.backend.close();
    }

    /** Delegates every call; {@code close} gives the handle back once. */
    private final class Handle implements QueueBackend {
        private final String key;
        private final Entry entry;
        private final QueueBackend b;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
            this.b = entry.backend;
        }

        private <T> CompletableFuture<T> gone() {
            return CompletableFuture.failedFuture(new pulsar.queue.TaskException(TaskFailure.BACKEND, "this queue handle was closed"));
        }

        @Override
        public CompletableFuture<String> enqueue(TaskMessage task) {
            return closed.get() ? gone() : b.enqueue(task);
        }

        @Override
        public CompletableFuture<List<Delivery>> fetch(String consumer, List<String> queues, int max, Duration wait) {
            return closed.get() ? gone() : b.fetch(consumer, queues, max, wait);
        }

        @Override
        public CompletableFuture<Boolean> ack(String consumer, Receipt receipt, String resultJson) {
            return closed.get() ? gone() : b.ack(consumer, receipt, resultJson);
        }

        @Override
        public CompletableFuture<Boolean> fail(String consumer, Receipt receipt, TaskFailure failure, String error, boolean retry) {
            return closed.get() ? gone() : b.fail(consumer, receipt, failure, error, retry);
        }

        @Override
        public CompletableFuture<Integer> release(String consumer) {
            return closed.get() ? gone() : b.release(consumer);
        }

        @Override
        public CompletableFuture<Boolean> cancel(String id) {
            return closed.get() ? gone() : b.cancel(id);
        }

        @Override
        public CompletableFuture<TaskOutcome> result(String id) {
            return closed.get() ? gone() : b.result(id);
        }

        @Override
        public CompletableFuture<TaskStatus> status(String id) {
            return closed.get() ? gone() : b.status(id);
        }

        @Override
        public CompletableFuture<List<TaskStatus>> deadLetters(int limit) {
            return closed.get() ? gone() : b.deadLetters(limit);
        }

        @Override
        public CompletableFuture<QueueStats> stats() {
            return closed.get() ? gone() : b.stats();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                closed(key, entry);
            }
        }

        @Override
        public String toString() {
            return "shared " + key + " (" + b + ")";
        }
    }
}
