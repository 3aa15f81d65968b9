package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Concurrency;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.queue.Task;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskStatus;
import pulsar.testkit.ArbiterExtension;

/**
 * The task queue application with real process workers, for each backend (a subclass names the
 * queue URL): a worker killed with -9 in the middle of 10,000 tasks loses none, and a poison
 * task that kills its worker every time becomes a dead letter after its deliveries without
 * tripping the crash-loop brake.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class TaskQueueExampleCases {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private final Set<Long> seen = new HashSet<>();

    /** The queue under test. */
    abstract String queueUrl();

    /**
     * Whether the queue's {@code redelivered} counter must show the killed worker's tasks: the
     * embedded queue gives them back at the exit; Redis counts a delivery again only when a fetch
     * claims it, and the killed worker may have acknowledged its last batch just before.
     */
    boolean countsTheKilledWorkersTasks() {
        return true;
    }
    private Monitor monitor;

    /** {@code slow_add(x, y)}: an add that takes a millisecond, so that a kill finds tasks in flight. */
    @Task("slow_add")
    public static long slowAdd(long x, long y) throws InterruptedException {
        Thread.sleep(1);
        return x + y;
    }

    /** {@code poison()}: halts the worker's JVM, as a task hitting a fatal native bug would. */
    @Task("poison")
    public static Object poison() {
        if (Pulsar.getActor() != null && Pulsar.getActor().concurrency() == Concurrency.PROCESS) {
            Runtime.getRuntime().halt(9);
        }
        throw new IllegalStateException("poison runs in process workers only");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (monitor != null) {
                monitor.stop().get(60, TimeUnit.SECONDS);
            }
        } finally {
            for (long pid : seen) { // nothing left behind, even on failure
                ProcessHandle.of(pid).filter(h -> h.pid() != ProcessHandle.current().pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Long> workerPids() {
        List<Map<String, Object>> workers = (List<Map<String, Object>>) monitor.info().get("workers");
        List<Long> pids = workers.stream().map(w -> (Long) w.get("pid")).filter(p -> p != null).toList();
        seen.addAll(pids);
        return pids;
    }

    private Monitor start(int workers) throws Exception {
        monitor = Pulsar.arbiter().add(new TaskQueueExample().setting("workers", workers).setting("queue", queueUrl())).get(90, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> workerPids().size() == workers);
        return monitor;
    }

    @Test
    void kill9OfAWorker_inTheMiddleOfTheWork_everyTaskCompletesWithItsResult() throws Exception {
        start(2);
        try (TaskQueue queue = TaskQueue.open(queueUrl())) {
            int n = 10_000;
            List<TaskFuture> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(queue.submit("slow_add", i, 1));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> queue.stats().get().done() >= 2000);
            List<Long> pids = workerPids();
            long victim = pids.get(0);
            assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();
            for (int i = 0; i < n; i++) {
                assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).as("task %d", i).isEqualTo((long) i + 1);
            }
            if (countsTheKilledWorkersTasks()) {
                assertThat(queue.stats().get().redelivered()).as("the killed worker's leased tasks were delivered again").isPositive();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> workerPids().size() == 2 && !workerPids().contains(victim));
            assertThat(monitor.isRunning()).isTrue();
        }
    }

    @Test
    void poisonTask_killingItsWorkerEveryTime_isADeadLetterAfterMaxDeliveries_andTheBrakeDoesNotTrip() throws Exception {
        start(2);
        try (TaskQueue queue = TaskQueue.open(queueUrl())) {
            TaskFuture poison = queue.submit(TaskOptions.defaults().withMaxDeliveries(6), "poison");
            assertThatThrownBy(() -> poison.get(180, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TaskException.class)
                    .satisfies(e -> assertThat(((TaskException) e).failure()).isEqualTo(TaskFailure.DEAD_LETTER));
            List<TaskStatus> dead = queue.deadLetters(10).get(10, TimeUnit.SECONDS);
            assertThat(dead).anySatisfy(s -> {
                assertThat(s.id()).isEqualTo(poison.id());
                assertThat(s.deliveries()).isEqualTo(6);
            });
            // six workers died, more than crash_loop_failures (5), yet each had started: the application runs on
            assertThat(monitor.isRunning()).isTrue();
            assertThat(queue.submit("add", 2, 3).get(60, TimeUnit.SECONDS)).isEqualTo(5L);
            assertThat(queue.stats().get().dead()).isEqualTo(1);
        }
    }
}
