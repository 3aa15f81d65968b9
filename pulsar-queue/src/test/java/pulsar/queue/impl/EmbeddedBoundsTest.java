package pulsar.queue.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueLimits;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/** The embedded backend's bounds: memory never grows without limit, waits end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedBoundsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private EmbeddedBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private EmbeddedBackend open(QueueLimits limits) {
        backend = new EmbeddedBackend(clock, limits, true);
        return backend;
    }

    private static TaskMessage task(TaskOptions o) {
        return new TaskMessage(TaskMessage.newId(), "t", "[]", o, 0);
    }

    private static TaskFailure failure(CompletableFuture<?> f) {
        try {
            f.orTimeout(10, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            return ((TaskException) e.getCause()).failure();
        }
        throw new AssertionError("succeeded");
    }

    @Test
    void maxTasks_refusesMore_untilOneFinishes() {
        EmbeddedBackend b = open(QueueLimits.defaults().withMaxTasks(2));
        b.enqueue(task(TaskOptions.defaults())).join();
        b.enqueue(task(TaskOptions.defaults())).join();
        assertThat(failure(b.enqueue(task(TaskOptions.defaults())))).isEqualTo(TaskFailure.QUEUE_FULL);
        Delivery d = b.fetch("c", List.of("default"), 1, Duration.ZERO).join().get(0);
        b.ack("c", d.receipt(), "1").join();
        b.enqueue(task(TaskOptions.defaults())).join();
    }

    @Test
    void finishedOutcomes_andDeadLetters_keepOnlyTheLatest() {
        EmbeddedBackend b = open(QueueLimits.defaults().withMaxResults(3).withMaxDeadLetters(2));
        TaskOptions once = TaskOptions.defaults().withMaxDeliveries(1).withTimeout(Duration.ofSeconds(1));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TaskMessage m = task(once);
            ids.add(m.id());
            b.enqueue(m).join();
            b.fetch("c", List.of("default"), 1, Duration.ZERO).join();
            now.addAndGet(1_001);
            b.fetch("c", List.of("default"), 1, Duration.ZERO).join();
        }
        assertThat(b.status(ids.get(4)).join().state()).isEqualTo(TaskState.DEAD);
        assertThat(b.status(ids.get(0)).join()).as("forgotten").isNull();
        assertThat(failure(b.result(ids.get(0)))).isEqualTo(TaskFailure.NO_SUCH_TASK);
        assertThat(b.deadLetters(100).join()).extracting(s -> s.id()).containsExactly(ids.get(3), ids.get(4));
        assertThat(b.stats().join().dead()).isEqualTo(5);
    }

    @Test
    void aResultWaiterThatGivesUp_isForgotten() {
        EmbeddedBackend b = open(QueueLimits.defaults());
        TaskMessage m = task(TaskOptions.defaults());
        b.enqueue(m).join();
        // past 1,000 waiters for one task a result call is refused: give-ups must not count
        for (int i = 0; i < 1_500; i++) {
            CompletableFuture<TaskOutcome> f = b.result(m.id());
            assertThat(f).as("waiter %d", i).isNotCompletedExceptionally();
            f.complete(null); // a caller that stops waiting (as task_result's timeout does)
        }
        CompletableFuture<TaskOutcome> last = b.result(m.id());
        Delivery d = b.fetch("c", List.of("default"), 1, Duration.ZERO).join().get(0);
        b.ack("c", d.receipt(), "7").join();
        assertThat(last.join().result()).isEqualTo("7");
    }

    @Test
    void waitingConsumers_areBounded_andEveryWaitEnds() {
        EmbeddedBackend b = open(new QueueLimits(100, 1024, 100, 100, 2, Duration.ofMillis(300)));
        CompletableFuture<List<Delivery>> w1 = b.fetch("a", List.of("default"), 1, Duration.ofSeconds(10));
        CompletableFuture<List<Delivery>> w2 = b.fetch("b", List.of("default"), 1, Duration.ofSeconds(10));
        assertThat(failure(b.fetch("c", List.of("default"), 1, Duration.ofSeconds(10)))).isEqualTo(TaskFailure.QUEUE_FULL);
        assertThat(w1.orTimeout(5, TimeUnit.SECONDS).join()).as("max_fetch_wait bounds the wait").isEmpty();
        assertThat(w2.orTimeout(5, TimeUnit.SECONDS).join()).isEmpty();
    }

    @Test
    void aFetchWhoseCallerGaveUp_givesItsTasksBack_uncounted() {
        EmbeddedBackend b = open(QueueLimits.defaults());
        CompletableFuture<List<Delivery>> gone = b.fetch("a", List.of("default"), 1, Duration.ofSeconds(10));
        gone.cancel(false);
        TaskMessage m = task(TaskOptions.defaults());
        b.enqueue(m).join();
        List<Delivery> got = b.fetch("b", List.of("default"), 1, Duration.ZERO).join();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).delivery()).isEqualTo(1);
    }

    @Test
    void close_failsWaitingCalls_andLaterOnes() {
        EmbeddedBackend b = open(QueueLimits.defaults());
        TaskMessage m = task(TaskOptions.defaults());
        b.enqueue(m).join();
        CompletableFuture<TaskOutcome> result = b.result(m.id());
        CompletableFuture<List<Delivery>> waiting = b.fetch("a", List.of("other"), 1, Duration.ofSeconds(10));
        b.close();
        assertThat(failure(result)).isEqualTo(TaskFailure.BACKEND);
        assertThat(failure(waiting)).isEqualTo(TaskFailure.BACKEND);
        assertThat(failure(b.enqueue(task(TaskOptions.defaults())))).isEqualTo(TaskFailure.BACKEND);
    }
}
