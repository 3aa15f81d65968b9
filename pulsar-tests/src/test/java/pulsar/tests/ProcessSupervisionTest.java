package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import pulsar.ActorProxy;
import pulsar.ActorProxyFuture;
import pulsar.Pulsar;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** Supervision of process actors with real child JVMs and real signals, on short timeouts. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessSupervisionTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension(s -> s
            .withTimeout(Duration.ofSeconds(3)).withStopGrace(Duration.ofSeconds(2)));

    private static ActorProxy spawn(Spawn spec) {
        return Pulsar.spawn(spec).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void gracefulStop_runsOnStopOnce_andTheChildExitsZero() {
        ActorProxy p = spawn(Spawn.process().onStop(actor -> System.out.println("on-stop-ran " + actor.aid())));
        long pid = Children.pid(p);
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Children.alive(pid));
        await().atMost(Duration.ofSeconds(10)).until(() -> Children.exit(p.aid()) != null);
        assertThat(Children.exit(p.aid())).isEqualTo("exit code 0");
        assertThat(Children.managed(p.aid())).isFalse();
    }

    @Test
    void childOutput_reachesTheParentLog_taggedWithAidAndName() {
        Logger childLog = (Logger) LoggerFactory.getLogger("pulsar.child");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        childLog.addAppender(lines);
        try {
            ActorProxy p = spawn(Spawn.process().name("talker").onStart(actor -> System.out.println("hello from the child")));
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().equals("[" + p.aid() + " talker] hello from the child")));
            p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        } finally {
            childLog.detachAppender(lines);
        }
    }

    @Test
    void childWithABlockedLoop_missesItsTimeout_andIsKilled() {
        ActorProxy p = spawn(Spawn.process().name("blocker"));
        long pid = Children.pid(p);
        // Blocks the child's loop: no more notify, and the stop that follows is never read.
        p.run((actor, args) -> {
            Thread.sleep(600_000);
            return null;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !Children.alive(pid));
        await().atMost(Duration.ofSeconds(10)).until(() -> Children.exit(p.aid()) != null);
        assertThat(Children.exit(p.aid())).isNotEqualTo("exit code 0");
        assertThat(Children.managed(p.aid())).isFalse();
    }

    @Test
    void childStoppedBySigstop_isKilled() throws Exception {
        ActorProxy p = spawn(Spawn.process().name("frozen"));
        long pid = Children.pid(p);
        Children.signal("STOP", pid);
        await().atMost(Duration.ofSeconds(30)).until(() -> !Children.alive(pid));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Children.managed(p.aid()));
    }

    @Test
    void childIgnoringStop_isKilledAfterTheGracePeriod() {
        ActorProxy p = spawn(Spawn.process().name("deaf"));
        long pid = Children.pid(p);
        p.run((actor, args) -> {
            Thread.sleep(600_000);
            return null;
        });
        long asked = System.nanoTime();
        assertThat(Pulsar.send("arbiter", "kill_actor", p.aid()).orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> !Children.alive(pid));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badJvmFlag_failsTheSpawn_withTheChildsOwnError() {
        ActorProxyFuture f = Pulsar.spawn(Spawn.process().jvmOptions("-XX:+NoSuchFlagAtAll"));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                .cause().isInstanceOf(PulsarException.class)
                .hasMessageContaining("NoSuchFlagAtAll").hasMessageContaining("exit code");
        await().atMost(Duration.ofSeconds(10)).until(() -> !Children.managed(f.aid()));
    }

    @Test
    void badJvmFlag_failsEverySpawnTheSameWay_withTheChildsOutput_neverAStreamError() {
        for (int i = 0; i < 4; i++) {
            ActorProxyFuture f = Pulsar.spawn(Spawn.process().jvmOptions("-XX:+NoSuchFlagAtAll" + i));
            int n = i;
            assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                    .cause().isInstanceOfSatisfying(PulsarException.class, p -> assertThat(p.kind()).isEqualTo(FailureKind.REMOTE_ERROR))
                    .hasMessageContaining("NoSuchFlagAtAll" + n).hasMessageContaining("exit code")
                    .hasMessageNotContaining("Stream closed").hasMessageNotContaining("Broken pipe");
        }
    }

    @Test
    void missingClass_failsTheSpawn_withTheChildsOwnError() {
        ActorProxyFuture f = Pulsar.spawn(Spawn.process().jvmOptions("-Djava.system.class.loader=com.example.NoSuchLoader"));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                .hasMessageContaining("exit code").hasMessageContaining("com.example.NoSuchLoader");
    }

    @Test
    void onStartFailure_inAChild_failsTheSpawn_andTheChildExits() {
        ActorProxyFuture f = Pulsar.spawn(Spawn.process().onStart(actor -> {
            throw new IllegalStateException("child cannot start");
        }));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join()).hasMessageContaining("child cannot start");
        await().atMost(Duration.ofSeconds(20)).until(() -> Children.exit(f.aid()) != null);
    }

    @Test
    void arbiterStop_endsEveryChild_andARestartedArbiterSpawnsFreshOnes() {
        ActorProxy a = spawn(Spawn.process().onStop(actor -> System.out.println("bye")));
        ActorProxy b = spawn(Spawn.process());
        long pa = Children.pid(a);
        long pb = Children.pid(b);
        Pulsar.arbiter().stop().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(Children.alive(pa)).isFalse();
        assertThat(Children.alive(pb)).isFalse();
        assertThat(Pulsar.arbiter().isRunning()).isFalse();
        Pulsar.arbiter().start().orTimeout(30, TimeUnit.SECONDS).join();
        ActorProxy c = spawn(Spawn.process());
        assertThat(Children.pid(c)).isNotIn(pa, pb);
        assertThat(c.send("ping").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("PONG");
        c.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void arbiterInfo_listsChildrenWithPidStateUptimeAndNotifyAge() {
        ActorProxy p = spawn(Spawn.process().name("listed"));
        long pid = Children.pid(p);
        @SuppressWarnings("unchecked")
        var actors = (java.util.List<java.util.Map<String, Object>>) Children.arbiterInfo().get("actors");
        assertThat(actors).anySatisfy(a -> assertThat(a).containsEntry("aid", p.aid()).containsEntry("pid", pid)
                .containsEntry("state", "running").containsEntry("kind", "process").containsKeys("uptime", "last_notify_age"));
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
    }
}
