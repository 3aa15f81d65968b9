package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.TaskWorker;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;
import pulsar.queue.spi.QueueLimits;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.ManualClock;
import pulsar.testkit.QueueContract;
import pulsar.testkit.RedisCli;

/**
 * The queue contract for the embedded queue in the arbiter, reached through the arbiter's
 * mailbox: the test submits through the {@code task_*} commands and every worker is a process
 * actor, a child JVM, consuming through the same commands. Plus what only child JVMs show: a
 * worker killed with SIGKILL mid-run, a poison task, and a producer that is plain {@code redis-cli}.
 */
class ArbiterQueueContractTest extends QueueContract {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    private final List<ActorProxy> spawned = new ArrayList<>();

    @Override
    protected QueueBackend open(ManualClock clock, QueueLimits limits) {
        QueueBackends.resetLocal(clock, limits);
        return QueueBackends.open("arbiter:");
    }

    /** Process actors whose worker thread consumes the arbiter's queue through its mailbox. */
    @Override
    protected List<String> startWorkers(int n, String... queues) {
        List<ActorProxy> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(spawnWorker(queues));
        }
        return started.stream().map(ActorProxy::aid).toList();
    }

    private ActorProxy spawnWorker(String... queues) {
        String[] names = queues.clone();
        ActorProxy p = Pulsar.spawn(Spawn.process().name("queue-worker").onStart(actor -> startWorker(actor, names)))
                .orTimeout(30, TimeUnit.SECONDS).join();
        spawned.add(p);
        return p;
    }

    /** Runs in the child JVM: {@code embedded:} there is the arbiter's queue, through its mailbox. */
    static void startWorker(Actor actor, String[] queues) {
        QueueBackend backend = QueueBackends.open("embedded:");
        TaskWorker worker = TaskWorker.of(backend, actor.aid(), queues);
        Thread t = new Thread(() -> worker.run(() -> true), "queue-worker");
        t.setDaemon(true);
        t.start();
    }

    /** Runs in the child JVM: a worker that blocks the actor's own loop until it has run {@code n} tasks. */
    static void runOnTheLoop(Actor actor, int n) {
        QueueBackend backend = QueueBackends.open("embedded:");
        actor.loop().callSoon(() -> {
            TaskWorker worker = TaskWorker.of(backend, actor.aid()).withBatch(1);
            int done = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                while (done < n && System.nanoTime() < deadline) {
                    done += worker.runOnce(Duration.ofMillis(500));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stopWorkers() {
        for (ActorProxy p : spawned) {
            Pulsar.send("arbiter", "kill_actor", p.aid()).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().stream()
                .noneMatch(a -> spawned.stream().anyMatch(s -> s.aid().equals(a.aid()))));
        spawned.clear();
    }

    @Test
    void killedWorkerJvm_itsTasksFinishOnAnother_andEveryResultReachesItsSubmitter() throws Exception {
        startWorkers(2);
        int n = 300;
        List<TaskFuture> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(queue.submit("contract.sleep", 10 + i % 3));
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> join(queue.stats()).done() >= 30);
        long pid = Children.pid(spawned.get(0));
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(10L + i % 3);
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> !Children.alive(pid));
        assertThat(join(queue.stats()).done()).isEqualTo(n);
    }

    @Test
    void workerBlockingItsActorsLoop_stillGetsTheArbitersReplies() {
        ActorProxy p = Pulsar.spawn(Spawn.process().name("loop-worker").onStart(actor -> runOnTheLoop(actor, 3)))
                .orTimeout(30, TimeUnit.SECONDS).join();
        spawned.add(p);
        List<TaskFuture> futures = List.of(queue.submit("contract.add", 1, 1), queue.submit("contract.add", 2, 2),
                queue.submit("contract.add", 3, 3));
        assertThat(futures.stream().map(f -> join(f)).toList()).containsExactly(2L, 4L, 6L);
    }

    @Test
    void poisonTask_killsEachWorkerItReaches_thenIsADeadLetter() {
        TaskFuture f = queue.submit(TaskOptions.defaults().withMaxDeliveries(2), "contract.halt");
        for (int delivery = 1; delivery <= 2; delivery++) {
            int expected = delivery;
            ActorProxy worker = spawnWorker();
            long pid = Children.pid(worker);
            await().atMost(ArbiterExtension.deadline()).until(() -> !Children.alive(pid));
            await().atMost(ArbiterExtension.deadline()).until(() -> {
                TaskStatus s = join(queue.status(f.id()));
                return s.deliveries() == expected && s.state() != TaskState.RUNNING;
            });
        }
        TaskException e = failure(f);
        assertThat(e.failure()).isEqualTo(TaskFailure.DEAD_LETTER);
        assertThat(e.getMessage()).contains("released");
        assertThat(join(queue.deadLetters(10))).extracting(TaskStatus::id).containsExactly(f.id());
    }

    @Test
    void redisCli_isAProducer_inAnotherLanguage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(RedisCli.available(), "redis-cli is not installed");
        startWorkers(1);
        String id = RedisCli.call(arbiter.port(), arbiter.secret(), "task_submit", "{\"name\":\"contract.add\",\"args\":[20,22]}");
        assertThat(id).isNotBlank().doesNotContain("ERR");
        String outcome = RedisCli.call(arbiter.port(), arbiter.secret(), "task_result", id, "15000");
        assertThat(outcome.replace(" ", "")).contains("\"state\":\"DONE\"").contains("\"result\":42");
        String status = RedisCli.call(arbiter.port(), arbiter.secret(), "task_status", id);
        assertThat(status).contains("\"deliveries\":1");
        String bad = RedisCli.call(arbiter.port(), arbiter.secret(), "task_submit", "{\"name\": ");
        assertThat(bad).startsWith("ERR BAD_ARGUMENTS").contains("not valid JSON");
        assertThat(RedisCli.call(arbiter.port(), arbiter.secret(), "task_stats")).contains("\"done\":1");
    }

    @Test
    void badWireArguments_failTheCommandOnly_withTheirCode() {
        PulsarException e = (PulsarException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Pulsar.send("arbiter", "task_fetch", "c1", "default", "many", 0).orTimeout(10, TimeUnit.SECONDS).join())
                .getCause();
        assertThat(e.kind()).isEqualTo(FailureKind.REMOTE_ERROR);
        assertThat(e.getMessage()).startsWith("ERR BAD_ARGUMENTS").contains("max");
        assertThat(join(Pulsar.send("arbiter", "ping"))).isEqualTo("PONG");
        assertThat(join(queue.stats()).submitted()).isZero();
    }

    @Test
    void taskAcks_acknowledgeSeveralAtOnce_andABadResultFailsOnlyItsTask() {
        pulsar.queue.spi.TaskMessage a = message(TaskOptions.defaults(), "contract.add", "[2,3]");
        pulsar.queue.spi.TaskMessage b = message(TaskOptions.defaults(), "contract.add", "[4,5]");
        join(backend.enqueue(a));
        join(backend.enqueue(b));
        assertThat(fetchNow("c1", 2)).hasSize(2);
        Object flags = join(Pulsar.send("arbiter", "task_acks", "c1", a.id(), 1, "", "5", "c1", b.id(), 1, "", "{not json"));
        assertThat(flags).isEqualTo(List.of(1L, 0L));
        assertThat(join(queue.result(a.id()))).isEqualTo(5L);
        TaskException bad = failure(queue.result(b.id()));
        assertThat(bad.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(bad.getMessage()).contains("not valid JSON");
        PulsarException arity = (PulsarException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Pulsar.send("arbiter", "task_acks", "c1", a.id(), 1).orTimeout(10, TimeUnit.SECONDS).join()).getCause();
        assertThat(arity.getMessage()).startsWith("ERR BAD_ARGUMENTS").contains("groups of");
    }

    @Test
    void processWorker_stopsGracefully_whileItsWorkerWaitsForTasks() {
        ActorProxy p = spawnWorker();
        long pid = Children.pid(p);
        assertThat(join(queue.submit("contract.add", 1, 2))).isEqualTo(3L);
        long start = System.nanoTime();
        assertThat(join(p.send("stop"))).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> !Children.alive(pid));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("within the stop grace, not killed")
                .isLessThan(Pulsar.arbiter().settings().stopGrace());
    }

    @Test
    void queueCommands_areTheArbitersOnly() {
        ActorProxy other = Pulsar.spawn(Spawn.thread()).orTimeout(30, TimeUnit.SECONDS).join();
        spawned.add(other);
        PulsarException e = (PulsarException) org.assertj.core.api.Assertions.catchThrowable(
                () -> other.send("task_stats").orTimeout(10, TimeUnit.SECONDS).join()).getCause();
        assertThat(e.getMessage()).contains("BACKEND").contains("arbiter");
    }
}
