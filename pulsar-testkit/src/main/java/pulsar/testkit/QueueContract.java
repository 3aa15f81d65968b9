package pulsar.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.TaskWorker;
import pulsar.queue.Tasks;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueLimits;
import pulsar.queue.spi.TaskMessage;

/**
 * The behaviour every queue backend must have, written once: a subclass opens its backend with
 * {@link #open(ManualClock, QueueLimits)}. Each test gets a fresh backend, a client on it, and
 * thread workers on demand ({@link #startWorkers(int, String...)}), stopped after the test.
 *
 * <p>A backend that reads the given clock for leases and retry times (the embedded one) is
 * tested by moving the clock; one that keeps real time (Redis: {@code XAUTOCLAIM}'s idle time)
 * overrides {@link #clockDriven()} to {@code false} and {@link #unit()} to a short lease, and
 * the tests then wait for the evidence instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class QueueContract {
    /** The limits the contract runs with: small enough to test the bounds. */
    protected static final QueueLimits LIMITS = QueueLimits.defaults().withMaxTaskBytes(64 * 1024).withMaxTasks(10_000);

    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The clock handed to the backend. */
    protected ManualClock clock;
    /** This test's backend. */
    protected QueueBackend backend;
    /** A client of {@link #backend}. */
    protected TaskQueue queue;

    /** For subclasses, one per backend. */
    protected QueueContract() {
    }

    /**
     * A fresh backend for one test, reading {@code clock} if it can, bounded by {@code limits};
     * it is closed after the test.
     */
    protected abstract QueueBackend open(ManualClock clock, QueueLimits limits) throws Exception;

    /** Whether the backend reads the given clock for leases and retry times; {@code true} by default. */
    protected boolean clockDriven() {
        return true;
    }

    /** The lease and backoff the tests use; 1 s by default (a real-time backend wants less). */
    protected Duration unit() {
        return Duration.ofSeconds(1);
    }

    @BeforeEach
    void openBackend() throws Exception {
        Tasks.register(QueueTasks.class);
        clock = new ManualClock();
        backend = open(clock, LIMITS);
        queue = TaskQueue.of(backend);
    }

    @AfterEach
    void closeBackend() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.interrupt();
            t.join(10_000);
            assertThat(t.isAlive()).as("worker thread %s stopped", t.getName()).isFalse();
        }
        if (backend != null) {
            backend.close();
        }
    }

    // ---- helpers

    /** Starts {@code n} thread workers on {@link #backend}, consuming {@code queues}; stopped after the test. */
    protected List<String> startWorkers(int n, String... queues) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String consumer = "worker-" + workers.size() + "-" + TaskMessage.newId();
            TaskWorker w = TaskWorker.of(backend, consumer, queues);
            Thread t = new Thread(() -> w.run(running::get), consumer);
            t.setDaemon(true);
            t.start();
            workers.add(t);
            names.add(consumer);
        }
        return names;
    }

    /** Waits for a future (20 s at most). */
    protected static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** The failure of a future that must fail with a {@link TaskException}. */
    protected static TaskException failure(CompletableFuture<?> f) {
        try {
            f.orTimeout(20, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(TaskException.class);
            return (TaskException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    /** A message for {@code name} with JSON arguments {@code argsJson}. */
    protected static TaskMessage message(TaskOptions options, String name, String argsJson) {
        return new TaskMessage(TaskMessage.newId(), name, argsJson, options, System.currentTimeMillis());
    }

    /** Fetches without waiting. */
    protected List<Delivery> fetchNow(String consumer, int max, String... queues) {
        return join(backend.fetch(consumer, List.of(queues.length == 0 ? new String[] {"default"} : queues), max, Duration.ZERO));
    }

    /**
     * Lets {@code d} pass (moves the clock, or for a real-time backend lets it pass) and fetches
     * until a task comes.
     */
    protected List<Delivery> fetchAfter(Duration d, String consumer, int max, String... queues) {
        List<String> names = List.of(queues.length == 0 ? new String[] {"default"} : queues);
        if (clockDriven()) {
            clock.advance(d);
            return join(backend.fetch(consumer, names, max, Duration.ZERO));
        }
        AtomicReference<List<Delivery>> got = new AtomicReference<>(List.of());
        await().atMost(d.plus(ArbiterExtension.deadline())).pollInterval(Duration.ofMillis(20)).until(() -> {
            got.set(join(backend.fetch(consumer, names, max, Duration.ofMillis(100))));
            return !got.get().isEmpty();
        });
        return got.get();
    }

    /** Waits until the backend knows a submitted task (a submit's enqueue completes after {@code submit} returns). */
    protected TaskFuture stored(TaskFuture f) {
        await().atMost(ArbiterExtension.deadline()).until(() -> join(queue.status(f.id())) != null);
        return f;
    }

    private TaskOptions timed() {
        return TaskOptions.defaults().withTimeout(unit());
    }

    // ---- submit, fetch, ack, result

    @Test
    public void submit_runsOnAWorker_andTheResultReachesTheSubmitter() {
        startWorkers(1);
        TaskFuture f = queue.submit("contract.add", 2, 3);
        assertThat(f.id()).isNotBlank();
        assertThat(join(f)).isEqualTo(5L);
        TaskStatus s = join(queue.status(f.id()));
        assertThat(s.state()).isEqualTo(TaskState.DONE);
        assertThat(s.name()).isEqualTo("contract.add");
        assertThat(s.deliveries()).isEqualTo(1);
    }

    @Test
    public void argumentsAndResults_areJsonValues() {
        startWorkers(1);
        assertThat(join(queue.submit("contract.echo", "text"))).isEqualTo("text");
        assertThat(join(queue.submit("contract.echo", 2.5))).isEqualTo(2.5);
        assertThat(join(queue.submit("contract.echo", (Object) null))).isNull();
        assertThat(join(queue.submit("contract.echo", List.of(1, "two", true)))).isEqualTo(List.of(1L, "two", true));
        assertThat(join(queue.submit("contract.echo", Map.of("k", List.of(1))))).isEqualTo(Map.of("k", List.of(1L)));
        assertThat(join(queue.submit("contract.all", 1, "b"))).isEqualTo(List.of(1L, "b"));
        assertThat(join(queue.submit("contract.point", Map.of("x", 2, "y", 40)))).isEqualTo(Map.of("sum", 42L));
        assertThat(join(queue.submit("contract.point", new QueueTasks.Point(1, 2)))).isEqualTo(Map.of("sum", 3L));
    }

    @Test
    public void fetchAndAck_byHand_finishTheTask_andALateAckIsIgnored() {
        TaskMessage m = message(timed(), "contract.add", "[1,2]");
        assertThat(join(backend.enqueue(m))).isEqualTo(m.id());
        CompletableFuture<Object> result = queue.result(m.id());

        List<Delivery> got = fetchNow("c1", 10);
        assertThat(got).hasSize(1);
        Delivery d = got.get(0);
        assertThat(d.task().id()).isEqualTo(m.id());
        assertThat(d.task().name()).isEqualTo("contract.add");
        assertThat(d.task().args().replace(" ", "")).isEqualTo("[1,2]");
        assertThat(d.delivery()).isEqualTo(1);
        assertThat(fetchNow("c2", 10)).as("a leased task is not given to another consumer").isEmpty();
        assertThat(join(queue.status(m.id())).state()).isEqualTo(TaskState.RUNNING);

        assertThat(join(backend.ack("c1", d.receipt(), "{\"sum\":3}"))).isTrue();
        assertThat(join(result)).isEqualTo(Map.of("sum", 3L));
        assertThat(join(backend.ack("c1", d.receipt(), "4"))).as("a second ack").isFalse();
        assertThat(join(queue.result(m.id()))).as("the first result stays").isEqualTo(Map.of("sum", 3L));
    }

    @Test
    public void longPollFetch_wakesWhenATaskArrives() {
        long start = System.nanoTime();
        CompletableFuture<List<Delivery>> waiting = backend.fetch("c1", List.of("default"), 1, Duration.ofSeconds(10));
        assertThat(waiting).isNotDone();
        TaskFuture f = queue.submit("contract.add", 1, 1);
        List<Delivery> got = join(waiting);
        assertThat(got).extracting(d -> d.task().id()).containsExactly(f.id());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    public void fetchWait_endsEmpty_whenNoTaskComes() {
        assertThat(join(backend.fetch("c1", List.of("default"), 5, Duration.ofMillis(200)))).isEmpty();
    }

    // ---- at least once

    @Test
    public void expiredLease_deliversTheTaskAgain_andTheLateAckIsDropped() {
        TaskMessage m = message(timed(), "contract.add", "[1,2]");
        join(backend.enqueue(m));
        Delivery first = fetchNow("c1", 1).get(0);

        if (clockDriven()) {
            clock.advance(unit().dividedBy(2));
            assertThat(fetchNow("c2", 1)).as("the lease still runs").isEmpty();
        }
        List<Delivery> again = fetchAfter(unit().plusMillis(10), "c2", 1);
        assertThat(again).hasSize(1);
        assertThat(again.get(0).task().id()).isEqualTo(m.id());
        assertThat(again.get(0).delivery()).isEqualTo(2);

        assertThat(join(backend.ack("c2", again.get(0).receipt(), "3"))).isTrue();
        assertThat(join(backend.ack("c1", first.receipt(), "99"))).as("the first consumer's late ack").isFalse();
        assertThat(join(queue.result(m.id()))).isEqualTo(3L);
        assertThat(join(queue.stats()).redelivered()).isEqualTo(1);
    }

    @Test
    public void releasedConsumer_getsItsTasksDeliveredAgain() {
        TaskMessage a = message(TaskOptions.defaults(), "contract.add", "[1,1]");
        TaskMessage b = message(TaskOptions.defaults(), "contract.add", "[2,2]");
        join(backend.enqueue(a));
        join(backend.enqueue(b));
        assertThat(fetchNow("dead-consumer", 10)).hasSize(2);

        assertThat(join(backend.release("dead-consumer"))).isEqualTo(2);
        assertThat(join(backend.release("dead-consumer"))).as("nothing left").isZero();
        List<Delivery> again = fetchNow("c2", 10);
        assertThat(again).extracting(d -> d.task().id()).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(again).allSatisfy(d -> assertThat(d.delivery()).isEqualTo(2));
    }

    @Test
    public void releasedConsumer_pendingFetchEnds_andGetsNoLaterTask() {
        CompletableFuture<List<Delivery>> pending = backend.fetch("dead-consumer", List.of("default"), 1, Duration.ofSeconds(10));
        join(backend.release("dead-consumer"));
        assertThat(join(pending)).isEmpty();
        TaskMessage m = message(TaskOptions.defaults(), "contract.add", "[1,2]");
        join(backend.enqueue(m));
        assertThat(fetchNow("c2", 1)).extracting(d -> d.task().id()).containsExactly(m.id());
    }

    @Test
    public void releasedConsumer_tasksFinishOnAnotherWorker() {
        TaskFuture f = stored(queue.submit("contract.delivery"));
        assertThat(fetchNow("dead-consumer", 1)).hasSize(1);
        startWorkers(1);
        assertThat(f).isNotDone();
        join(backend.release("dead-consumer"));
        assertThat(join(f)).isEqualTo(2L);
    }

    @Test
    public void maxDeliveries_thenTheTaskIsADeadLetter_andItsSubmitterHears() {
        TaskFuture f = stored(queue.submit(timed().withMaxDeliveries(2), "contract.add", 1, 2));
        assertThat(fetchNow("c1", 1)).hasSize(1);
        assertThat(fetchAfter(unit().plusMillis(10), "c2", 1)).hasSize(1);
        if (clockDriven()) {
            clock.advance(unit().plusMillis(10));
        }
        // the second lease expires: no third delivery, whoever asks
        await().atMost(unit().plus(ArbiterExtension.deadline())).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(fetchNow("c3", 1)).isEmpty();
            return f.isDone();
        });
        TaskException e = failure(f);
        assertThat(e.failure()).isEqualTo(TaskFailure.DEAD_LETTER);
        assertThat(e.getMessage()).contains("2 times");
        assertThat(join(queue.status(f.id())).state()).isEqualTo(TaskState.DEAD);
        assertThat(join(queue.deadLetters(10))).extracting(TaskStatus::id).containsExactly(f.id());
        QueueStats s = join(queue.stats());
        assertThat(s.dead()).isEqualTo(1);
        assertThat(s.queued() + s.running() + s.scheduled()).isZero();
    }

    // ---- failures and retries

    @Test
    public void taskThatThrows_failsAtOnce_withTheWorkersErrorText() {
        startWorkers(1);
        TaskException e = failure(queue.submit("contract.fail", "boom 42"));
        assertThat(e.failure()).isEqualTo(TaskFailure.TASK_ERROR);
        assertThat(e.getMessage()).contains("boom 42").contains("IllegalStateException");
        assertThat(join(queue.stats()).failed()).isEqualTo(1);
    }

    @Test
    public void retryOnError_retriesAfterTheBackoff_untilItSucceeds() {
        startWorkers(1);
        TaskOptions retry = TaskOptions.defaults().withRetryOnError(true).withMaxDeliveries(3).withBackoff(unit(), 2.0, unit().multipliedBy(10));
        TaskFuture f = queue.submit(retry, "contract.flaky", 2);
        await().atMost(ArbiterExtension.deadline()).until(() -> join(queue.status(f.id())).state() == TaskState.SCHEDULED);
        TaskStatus scheduled = join(queue.status(f.id()));
        assertThat(scheduled.deliveries()).isEqualTo(1);
        assertThat(scheduled.error()).contains("flaky failure on delivery 1");
        if (clockDriven()) {
            clock.advance(unit());
            await().atMost(ArbiterExtension.deadline()).until(() -> join(queue.status(f.id())).deliveries() == 2
                    && join(queue.status(f.id())).state() == TaskState.SCHEDULED);
            clock.advance(unit());
            assertThat(f).as("the second retry waits twice as long").isNotDone();
            assertThat(join(queue.status(f.id())).state()).isEqualTo(TaskState.SCHEDULED);
            clock.advance(unit());
        }
        assertThat(join(f)).isEqualTo(3L);
    }

    @Test
    public void retriesExhausted_makeADeadLetter_withTheLastError() {
        TaskOptions retry = timed().withRetryOnError(true).withMaxDeliveries(2).withBackoff(unit(), 1.0, unit());
        TaskFuture f = stored(queue.submit(retry, "contract.fail", "always"));
        Delivery d1 = fetchNow("c1", 1).get(0);
        assertThat(join(backend.fail("c1", d1.receipt(), TaskFailure.TASK_ERROR, "first error", true))).isTrue();
        assertThat(join(backend.fail("c1", d1.receipt(), TaskFailure.TASK_ERROR, "again", true))).as("not current").isFalse();
        if (clockDriven()) {
            assertThat(fetchNow("c1", 1)).as("before the backoff").isEmpty();
        }
        Delivery d2 = fetchAfter(unit().plusMillis(10), "c1", 1).get(0);
        assertThat(d2.delivery()).isEqualTo(2);
        join(backend.fail("c1", d2.receipt(), TaskFailure.TASK_ERROR, "second error", true));
        TaskException e = failure(f);
        assertThat(e.failure()).isEqualTo(TaskFailure.DEAD_LETTER);
        assertThat(e.getMessage()).contains("second error");
        assertThat(join(queue.deadLetters(5))).extracting(TaskStatus::id).contains(f.id());
    }

    // ---- cancel, priorities, queues

    @Test
    public void cancel_removesAQueuedTask_andItsSubmitterHears() {
        TaskFuture f = stored(queue.submit("contract.add", 1, 2));
        assertThat(join(f.cancelTask())).isTrue();
        assertThat(failure(f).failure()).isEqualTo(TaskFailure.CANCELLED);
        assertThat(fetchNow("c1", 10)).isEmpty();
        assertThat(join(queue.status(f.id())).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(join(queue.cancel(f.id()))).as("twice").isFalse();
        assertThat(join(queue.cancel("no-such-id"))).isFalse();
        assertThat(join(queue.stats()).cancelled()).isEqualTo(1);
    }

    @Test
    public void cancel_ofARunningTask_isRefused() {
        TaskFuture f = stored(queue.submit("contract.add", 1, 2));
        Delivery d = fetchNow("c1", 1).get(0);
        assertThat(join(queue.cancel(f.id()))).isFalse();
        join(backend.ack("c1", d.receipt(), "3"));
        assertThat(join(f)).isEqualTo(3L);
    }

    @Test
    public void higherPriority_isDeliveredFirst_thenOldestFirst() {
        List<String> ids = new ArrayList<>();
        for (int p : new int[] {0, 9, 5, 9, 0}) {
            TaskMessage m = message(TaskOptions.defaults().withQueue("prio").withPriority(p), "contract.add", "[0," + p + "]");
            join(backend.enqueue(m));
            ids.add(m.id());
        }
        List<Delivery> got = fetchNow("c1", 5, "prio");
        assertThat(got).extracting(d -> d.task().id()).containsExactly(ids.get(1), ids.get(3), ids.get(2), ids.get(0), ids.get(4));
    }

    @Test
    public void namedQueues_areSeparate_andAConsumerTakesOnlyItsOwn() {
        TaskMessage a = message(TaskOptions.defaults().withQueue("alpha"), "contract.add", "[1,0]");
        TaskMessage b = message(TaskOptions.defaults().withQueue("beta"), "contract.add", "[2,0]");
        join(backend.enqueue(a));
        join(backend.enqueue(b));
        assertThat(join(queue.stats()).queuedByQueue()).containsEntry("alpha", 1L).containsEntry("beta", 1L);
        assertThat(fetchNow("c1", 10, "gamma")).isEmpty();
        assertThat(fetchNow("c1", 10, "beta")).extracting(d -> d.task().id()).containsExactly(b.id());
        assertThat(fetchNow("c1", 10, "beta", "alpha")).extracting(d -> d.task().id()).containsExactly(a.id());
    }

    @Test
    public void workersOfOneQueue_leaveTheOthersTasks() {
        startWorkers(1, "alpha");
        TaskFuture other = stored(queue.submit(TaskOptions.defaults().withQueue("beta"), "contract.add", 1, 1));
        TaskFuture mine = queue.submit(TaskOptions.defaults().withQueue("alpha"), "contract.add", 2, 2);
        assertThat(join(mine)).isEqualTo(4L);
        assertThat(other).isNotDone();
        assertThat(join(queue.status(other.id())).state()).isEqualTo(TaskState.QUEUED);
    }

    // ---- statistics

    @Test
    public void stats_countEveryState() {
        TaskMessage run = message(TaskOptions.defaults(), "contract.add", "[1,1]");
        TaskMessage wait = message(TaskOptions.defaults(), "contract.add", "[1,1]");
        TaskMessage cancel = message(TaskOptions.defaults(), "contract.add", "[1,1]");
        join(backend.enqueue(run));
        Delivery d = fetchNow("c1", 1).get(0);
        join(backend.enqueue(wait));
        join(backend.enqueue(cancel));
        join(backend.cancel(cancel.id()));
        QueueStats s = join(queue.stats());
        assertThat(s.queued()).isEqualTo(1);
        assertThat(s.running()).isEqualTo(1);
        assertThat(s.submitted()).isEqualTo(3);
        assertThat(s.cancelled()).isEqualTo(1);
        join(backend.ack("c1", d.receipt(), "2"));
        Delivery d2 = fetchNow("c1", 1).get(0);
        join(backend.fail("c1", d2.receipt(), TaskFailure.TASK_ERROR, "no", false));
        s = join(queue.stats());
        assertThat(s.done()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.queued() + s.running()).isZero();
        assertThat(s.doneRate()).isPositive();
        assertThat(s.submitRate()).isPositive();
        assertThat(s.toMap()).containsKeys("queued", "running", "done", "failed", "dead", "submit_rate", "done_rate");
    }

    // ---- bad input: a clear error, nothing else breaks

    @Test
    public void unknownTask_failsWithItsName_andTheWorkerGoesOn() {
        startWorkers(1);
        TaskException e = failure(queue.submit("no.such.task", 1));
        assertThat(e.failure()).isEqualTo(TaskFailure.UNKNOWN_TASK);
        assertThat(e.getMessage()).contains("no.such.task");
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
    }

    @Test
    public void argumentsThatDoNotFit_failWithBadArguments() {
        startWorkers(1);
        TaskException wrongType = failure(queue.submit("contract.add", "x", 2));
        assertThat(wrongType.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(wrongType.getMessage()).contains("contract.add").contains("argument 1");
        TaskException wrongCount = failure(queue.submit("contract.add", 1));
        assertThat(wrongCount.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(wrongCount.getMessage()).contains("takes 2 arguments, 1 given");
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
    }

    @Test
    public void argumentsThatAreNotJson_failAtSubmit() {
        TaskException e = failure(queue.submit("contract.echo", new Object()));
        assertThat(e.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        TaskException badMessage = org.assertj.core.api.Assertions.catchThrowableOfType(TaskException.class,
                () -> TaskMessage.fromJson("{\"name\": \"contract.add\", \"args\": [1,"));
        assertThat(badMessage.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(badMessage.getMessage()).contains("not valid JSON");
        TaskException noName = org.assertj.core.api.Assertions.catchThrowableOfType(TaskException.class,
                () -> TaskMessage.fromJson("{\"args\": [1]}"));
        assertThat(noName.getMessage()).contains("\"name\"");
        TaskException badPriority = org.assertj.core.api.Assertions.catchThrowableOfType(TaskException.class,
                () -> TaskMessage.fromJson("{\"name\": \"x\", \"priority\": 12}"));
        assertThat(badPriority.getMessage()).contains("priority").contains("12");
    }

    @Test
    public void oversizeArguments_failWithTooLarge_andTheQueueGoesOn() {
        startWorkers(1);
        String big = "x".repeat(LIMITS.maxTaskBytes() + 1);
        TaskException e = failure(queue.submit("contract.echo", big));
        assertThat(e.failure()).isEqualTo(TaskFailure.TOO_LARGE);
        assertThat(e.getMessage()).contains("max_task_bytes");
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
    }

    @Test
    public void oversizeResult_failsTheTaskWithTooLarge() {
        startWorkers(1);
        TaskException e = failure(queue.submit("contract.repeat", "y", LIMITS.maxTaskBytes() + 1));
        assertThat(e.failure()).isEqualTo(TaskFailure.TOO_LARGE);
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
    }

    @Test
    public void unknownId_hasNoStatus_andNoResult() {
        assertThat(join(queue.status("no-such-task"))).isNull();
        assertThat(failure(queue.result("no-such-task")).failure()).isEqualTo(TaskFailure.NO_SUCH_TASK);
    }

    @Test
    public void badFetchArguments_failTheCallOnly() {
        assertThat(failure(backend.fetch("c1", List.of("bad queue name!"), 1, Duration.ZERO)).failure())
                .isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(failure(backend.fetch("c1", List.of("default"), 0, Duration.ZERO)).failure())
                .isEqualTo(TaskFailure.BAD_ARGUMENTS);
        startWorkers(1);
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
    }

    // ---- many tasks

    @Test
    public void manyTasks_twoWorkers_everyResultReachesItsSubmitter() {
        startWorkers(2);
        int n = 2_000;
        List<TaskFuture> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(queue.submit("contract.add", i, i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(join(futures.get(i))).isEqualTo(2L * i);
        }
        QueueStats s = join(queue.stats());
        assertThat(s.done()).isEqualTo(n);
        assertThat(s.queued() + s.running()).isZero();
    }
}
