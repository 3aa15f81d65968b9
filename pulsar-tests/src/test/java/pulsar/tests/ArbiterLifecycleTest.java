package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/** The arbiter starts, runs in the calling thread, stops every actor (running each onStop once) and starts again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArbiterLifecycleTest {
    static final AtomicInteger STOPS = new AtomicInteger();
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        dir = Files.createTempDirectory("pulsar-lifecycle-");
        Pulsar.arbiter().configure(Settings.defaults().withSecretFile(dir.resolve("secret").toString()));
    }

    @AfterEach
    void tearDown() throws Exception {
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        Files.deleteIfExists(dir.resolve("secret"));
        Files.deleteIfExists(dir);
    }

    @Test
    void run_blocksTheCallingThread_untilStopped() throws Exception {
        AtomicReference<String> runner = new AtomicReference<>();
        Thread t = new Thread(() -> {
            runner.set(Thread.currentThread().getName());
            Pulsar.arbiter().run();
        }, "main-like");
        t.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Pulsar.arbiter().isRunning());
        Object loopThread = Pulsar.send("arbiter", "run", (pulsar.ActorFunction<Object>) (actor, args) -> Thread.currentThread().getName())
                .get(20, TimeUnit.SECONDS);
        assertThat(loopThread).isEqualTo("pulsar-arbiter");
        assertThat(t.isAlive()).isTrue();
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        t.join(20_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(runner.get()).isEqualTo("main-like");
    }

    @Test
    void stop_runsEveryOnStopOnce_andTheArbiterStartsAgain() throws Exception {
        STOPS.set(0);
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            Pulsar.spawn(Spawn.thread().onStop(actor -> STOPS.incrementAndGet())).get(30, TimeUnit.SECONDS);
        }
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        assertThat(STOPS.get()).isEqualTo(3);
        assertThat(Pulsar.arbiter().state()).isEqualTo(ActorState.STOPPED);
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        ActorProxy again = Pulsar.spawn(Spawn.thread()).get(30, TimeUnit.SECONDS);
        assertThat(again.send("ping").get(20, TimeUnit.SECONDS)).isEqualTo("PONG");
        assertThat(Pulsar.arbiter().actors()).extracting(ActorProxy::aid).containsExactly(again.aid());
    }

    @Test
    void spawn_beforeStart_failsWithAClearMessage() {
        assertThat(Pulsar.spawn(Spawn.thread())).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("arbiter is not running");
    }
}
