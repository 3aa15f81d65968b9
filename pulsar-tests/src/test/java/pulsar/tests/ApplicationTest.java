package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.app.Application;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.RedisCli;

/** Applications and their monitors, with real workers (threads, and child JVMs where it matters). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ApplicationTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
    static final Set<String> STOPPING = ConcurrentHashMap.newKeySet();
    static final AtomicInteger TICKS = new AtomicInteger();
    static final AtomicInteger FAILED_STARTS = new AtomicInteger();

    /** Workers record their start and stop; the monitor counts its ticks. */
    static class Recording extends Application {
        Recording(String name) {
            super(name);
        }

        @Override
        public CompletionStage<?> workerStart(Actor worker) {
            STARTED.add(worker.aid());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<?> workerStopping(Actor worker) {
            STOPPING.add(worker.aid());
            return null;
        }

        @Override
        public void monitorTask(Monitor monitor) {
            TICKS.incrementAndGet();
        }

        @Override
        public void workerInfo(Actor worker, Map<String, Object> info) {
            info.put("greeting", "hello from " + getClass().getSimpleName());
        }
    }

    /** Workers that never start. */
    static class Broken extends Application {
        Broken(String name) {
            super(name);
        }

        @Override
        public CompletionStage<?> workerStart(Actor worker) {
            FAILED_STARTS.incrementAndGet();
            throw new IllegalStateException("no database for " + name());
        }
    }

    private static Monitor add(Application app) throws Exception {
        return Pulsar.arbiter().add(app).get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
        assertThat(Pulsar.arbiter().monitors()).isEmpty();
    }

    @Test
    void add_startsTheWorkers_andTheMonitorListsThem() throws Exception {
        Monitor m = add(new Recording("pool").setting("workers", 2).setting("concurrency", "thread"));
        assertThat(m.workers()).hasSize(2);
        assertThat(STARTED).containsAll(m.workers().stream().map(ActorProxy::aid).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) Pulsar.send("pool", "info").get(20, TimeUnit.SECONDS);
        assertThat(info).containsEntry("name", "pool").containsEntry("concurrency", "thread").containsEntry("workers_wanted", 2L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) info.get("workers");
        assertThat(workers).hasSize(2).allSatisfy(w -> assertThat(w).containsKeys("aid", "pid", "state", "age", "uptime", "last_notify_age"));
        @SuppressWarnings("unchecked")
        Map<String, Object> own = (Map<String, Object>) m.workers().get(0).send("info").get(20, TimeUnit.SECONDS);
        assertThat(own).containsEntry("application", "pool").containsEntry("greeting", "hello from Recording");
        await().atMost(ArbiterExtension.deadline()).until(() -> TICKS.get() > 2);
    }

    @Test
    void aSecondApplicationOfTheSameName_failsClearly_andTwoNamesDoNotCollide() throws Exception {
        Monitor a = add(new Recording("alpha").setting("workers", 1).setting("concurrency", "thread"));
        Monitor b = add(new Recording("beta").setting("workers", 3).setting("concurrency", "thread").setting("timeout", "12s"));
        assertThatThrownBy(() -> Pulsar.arbiter().add(new Recording("alpha")).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha is already running");
        assertThat(a.settings().workers()).isEqualTo(1);
        assertThat(b.settings().workers()).isEqualTo(3);
        assertThat(a.settings().timeout()).isEqualTo(Pulsar.arbiter().settings().timeout());
        assertThat(b.workers()).hasSize(3);
        // Inside a worker: its application and its settings.
        Object seen = b.workers().get(0).run((actor, args) -> {
            Application app = Application.get("beta");
            return app.name() + " " + app.settings().workers() + " " + actor.settings().timeout().toSeconds();
        }).get(20, TimeUnit.SECONDS);
        assertThat(seen).isEqualTo("beta 3 12");
        assertThat(Pulsar.arbiter().monitors()).extracting(Monitor::name).containsExactly("alpha", "beta");
    }

    @Test
    void aWorkerThatExits_isReplacedAtOnce() throws Exception {
        Monitor m = add(new Recording("phoenix").setting("workers", 2).setting("concurrency", "thread"));
        String victim = m.workers().get(0).aid();
        Pulsar.send("arbiter", "kill_actor", victim).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> m.workers().size() == 2
                && m.workers().stream().noneMatch(w -> w.aid().equals(victim)));
        assertThat(STOPPING).contains(victim);
    }

    @Test
    void scaling_growsAndShrinks_oldestFirst() throws Exception {
        Monitor m = add(new Recording("elastic").setting("workers", 2).setting("concurrency", "thread"));
        List<String> first = m.workers().stream().map(ActorProxy::aid).toList();
        assertThat(Pulsar.send("elastic", "config", "set", "workers", "3").get(20, TimeUnit.SECONDS)).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> m.workers().size() == 3);
        String youngest = m.workers().get(2).aid();
        m.loop().execute(() -> m.scale(1));
        await().atMost(ArbiterExtension.deadline()).until(() -> m.workers().size() == 1);
        assertThat(m.workers().get(0).aid()).isEqualTo(youngest);
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().stream().noneMatch(p -> first.contains(p.aid())));
        assertThat(Pulsar.send("elastic", "scale", "2").get(20, TimeUnit.SECONDS)).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> m.workers().size() == 2);
        assertThatThrownBy(() -> Pulsar.send("elastic", "config", "set", "workers", "lots").get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PulsarException.class).hasMessageContaining("workers").hasMessageContaining("lots");
        assertThatThrownBy(() -> Pulsar.send("elastic", "config", "set", "mailbox_host", "0.0.0.0").get(20, TimeUnit.SECONDS))
                .hasMessageContaining("cannot change at run time");
    }

    @Test
    void reload_replacesEveryWorker_newOnesRunningBeforeOldOnesStop() throws Exception {
        Monitor m = add(new Recording("reloaded").setting("workers", 2).setting("concurrency", "thread"));
        List<String> before = m.workers().stream().map(ActorProxy::aid).toList();
        assertThat(Pulsar.send("reloaded", "reload").get(20, TimeUnit.SECONDS)).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> m.workers().size() == 2
                && m.workers().stream().noneMatch(w -> before.contains(w.aid())));
        await().atMost(ArbiterExtension.deadline()).until(() -> STOPPING.containsAll(before));
        assertThat(m.settings().workers()).isEqualTo(2);
    }

    @Test
    void workersThatKeepFailingToStart_tripTheBrake_withTheCause() throws Exception {
        FAILED_STARTS.set(0);
        long start = System.nanoTime();
        assertThatThrownBy(() -> add(new Broken("doomed").setting("workers", 2).setting("concurrency", "thread")
                .setting("crash_loop_failures", 3).setting("crash_loop_window", "20s")))
                .hasCauseInstanceOf(PulsarException.class)
                .hasMessageContaining("application doomed stopped").hasMessageContaining("3 workers failed to start")
                .hasMessageContaining("no database for doomed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(FAILED_STARTS.get()).isBetween(3, 4); // 3 trip it; one more may have been under way
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().monitor("doomed") == null);
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().isEmpty());
    }

    @Test
    void processWorkers_killedWithSigkill_areReplaced() throws Exception {
        Monitor m = add(new Recording("procs").setting("workers", 2));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> workers = (List<Map<String, Object>>) m.info().get("workers");
        long pid = (Long) workers.get(0).get("pid");
        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
        String victim = (String) workers.get(0).get("aid");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> m.workers().size() == 2
                && m.workers().stream().noneMatch(w -> w.aid().equals(victim)));
        Set<Object> pids = ((List<?>) m.info().get("workers")).stream().map(w -> ((Map<?, ?>) w).get("pid")).collect(Collectors.toSet());
        assertThat(pids).doesNotContain(pid).hasSize(2);
    }

    @Test
    void redisCli_reachesTheApplication_throughTheArbiter() throws Exception {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
        add(new Recording("viacli").setting("workers", 1).setting("concurrency", "thread"));
        String info = RedisCli.call(arbiter.port(), arbiter.secret(), "app", "viacli", "info");
        assertThat(info).contains("name:viacli").contains("concurrency:thread");
        assertThat(RedisCli.call(arbiter.port(), arbiter.secret(), "app", "viacli", "config", "get", "workers").lines().toList())
                .containsExactly("workers", "1");
        assertThat(RedisCli.call(arbiter.port(), arbiter.secret(), "app", "nosuch", "info")).contains("NOACTOR");
    }
}
