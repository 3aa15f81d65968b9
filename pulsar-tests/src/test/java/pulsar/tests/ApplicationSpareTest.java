package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorListener;
import pulsar.ActorState;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.app.Monitor;
import pulsar.app.SocketServerApplication;
import pulsar.testkit.ArbiterExtension;

/**
 * An application's process workers keep one warm spare JVM by default (started with the
 * workers' JVM options): a replacement takes it, the pool is refilled once the replacement's
 * handshake is over, and no spare outlives the arbiter. {@code spare_processes} set, even to 0,
 * overrides that default.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplicationSpareTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static String commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> workerPids(Monitor m) {
        List<Map<String, Object>> workers = (List<Map<String, Object>>) m.info().get("workers");
        return workers.stream().map(w -> (Long) w.get("pid")).filter(p -> p != null).collect(Collectors.toSet());
    }

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void spareProcessesSetToZero_noSpareForTheWorkers() throws Exception {
        int port = EchoApplicationTest.freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port)
                .setting("spare_processes", 0)).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> workerPids(m).size() == 1);
        Set<Long> workers = workerPids(m);
        // no spare shows up: the only child is the worker, for a while
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> children().equals(workers));
        m.stop().get(60, TimeUnit.SECONDS);
    }

    @Test
    @Order(2)
    void aReplacementWorkerTakesTheSpare_thePoolIsRefilledAfterItsHandshake_andNoSpareOutlivesTheArbiter() throws Exception {
        assertThat(Pulsar.arbiter().settings().spareProcessesGiven()).isFalse();
        int port = EchoApplicationTest.freePort();
        Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + port))
                .get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> workerPids(m).size() == 1);
        long worker = workerPids(m).iterator().next();
        // one spare besides the worker, started as the workers are (C2, not the actors' C1-only default)
        await().atMost(Duration.ofSeconds(30)).until(() -> children().size() == 2);
        Set<Long> spares = new HashSet<>(children());
        spares.remove(worker);
        assertThat(spares).hasSize(1);
        long spare = spares.iterator().next();
        assertThat(commandLine(spare)).contains("--spare").contains(Settings.DEFAULT_WORKER_JVM_OPTIONS)
                .doesNotContain("TieredStopAtLevel");

        // at the replacement's handshake, no new spare is started yet: it would compete with it
        Map<String, Set<Long>> childrenAtHandshake = new ConcurrentHashMap<>();
        EventLoop.Handle watch = Pulsar.arbiter().watch(new ActorListener() {
            @Override
            public void stateChanged(String aid, ActorState state) {
                if (state == ActorState.RUNNING) {
                    childrenAtHandshake.put(aid, children());
                }
            }
        });
        try {
            assertThat(ProcessHandle.of(worker).orElseThrow().destroyForcibly()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> workerPids(m).equals(Set.of(spare)));
            await().atMost(Duration.ofSeconds(20)).until(() -> childrenAtHandshake.size() == 1);
            assertThat(childrenAtHandshake.values().iterator().next()).as("child JVMs at the replacement's handshake")
                    .containsExactly(spare);
        } finally {
            watch.cancel();
        }
        assertThat(EchoApplicationTest.echo(port, "from the spare")).isEqualTo("from the spare");

        // refilled: a new spare with the workers' options, and never more than one
        await().atMost(Duration.ofSeconds(30)).until(() -> children().size() == 2);
        Set<Long> now = children();
        now.remove(spare);
        long refill = now.iterator().next();
        assertThat(refill).isNotEqualTo(worker);
        assertThat(commandLine(refill)).contains("--spare").contains(Settings.DEFAULT_WORKER_JVM_OPTIONS);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> children().size() == 2);

        // the arbiter's stop ends the spare with the workers
        Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        assertThat(children()).isEmpty();
        assertThat(ProcessHandle.of(refill).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
