package pulsar.impl.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.Concurrency;
import pulsar.EventLoop;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.ActorReport;

/** The supervisor's decisions, on a fake clock and a fake launcher: no thread, socket or sleep. */
class SupervisorTest {
    private static final Settings SETTINGS = Settings.defaults()
            .withTimeout(Duration.ofSeconds(30)).withStopGrace(Duration.ofSeconds(5)).withHandshakeTimeout(Duration.ofSeconds(10));
    private static final ActorProxy MANAGER = new ActorProxyImpl("arbiter", "arbiter", new InetSocketAddress("127.0.0.1", 1));

    private long now = 1_000_000_000L;
    private final FakeLauncher launcher = new FakeLauncher();
    private final List<ActorExit> exits = new ArrayList<>();
    private final List<String> states = new ArrayList<>();
    private Supervisor supervisor;

    @BeforeEach
    void setUp() {
        supervisor = new Supervisor(() -> now, Map.of(Concurrency.THREAD, launcher, Concurrency.PROCESS, launcher), Runnable::run);
        supervisor.watch(new ActorListener() {
            @Override
            public void stateChanged(String aid, ActorState state) {
                states.add(aid + " " + state.wireName());
            }

            @Override
            public void exited(ActorExit exit) {
                exits.add(exit);
            }
        });
    }

    private void advance(Duration d) {
        now += d.toNanos();
        supervisor.tick();
    }

    private CompletableFuture<ActorProxy> spawn(String aid, Spawn spec) {
        CompletableFuture<ActorProxy> f = new CompletableFuture<>();
        supervisor.spawn(aid, spec, spec.settingsFor(SETTINGS), MANAGER, null, f);
        return f;
    }

    private void report(String aid, ActorState state, Duration timeout) {
        supervisor.notified(new ActorReport(aid, aid, Concurrency.THREAD, state, new InetSocketAddress("127.0.0.1", 2000),
                42, timeout, null, state == ActorState.FAILED ? "boom" : null));
    }

    private CompletableFuture<ActorProxy> running(String aid, Spawn spec) {
        CompletableFuture<ActorProxy> f = spawn(aid, spec);
        report(aid, ActorState.STARTING, null);
        report(aid, ActorState.RUNNING, null);
        return f;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void runningReport_completesTheSpawn_withTheProxy() {
        CompletableFuture<ActorProxy> f = running("a1", Spawn.thread());
        assertThat(f.join().aid()).isEqualTo("a1");
        assertThat(f.join().address().getPort()).isEqualTo(2000);
        assertThat(states).containsExactly("a1 starting", "a1 running");
    }

    @Test
    void noHandshake_failsTheSpawnWithTimeout_atTheDeadline_thenStopsAndKills() {
        CompletableFuture<ActorProxy> f = spawn("a1", Spawn.thread());
        advance(Duration.ofMillis(9_900));
        assertThat(f).isNotDone();
        advance(Duration.ofMillis(200));
        assertThat(((PulsarException) failure(f)).kind()).isEqualTo(FailureKind.TIMEOUT);
        FakeActor a = launcher.actor("a1");
        assertThat(a.stopAsked).isTrue();
        advance(Duration.ofSeconds(4));
        assertThat(a.killed).isFalse();
        advance(Duration.ofSeconds(2));
        assertThat(a.killed).isTrue();
        a.exit(137);
        assertThat(exits).singleElement().satisfies(e -> {
            assertThat(e.cause()).isEqualTo(ActorExit.Cause.FAILED_TO_START);
            assertThat(e.failedToStart()).isTrue();
        });
    }

    @Test
    void silentActor_isStoppedAfterItsTimeout_andTheExitSaysTimedOut() {
        running("a1", Spawn.thread());
        advance(Duration.ofSeconds(29));
        assertThat(launcher.actor("a1").stopAsked).isFalse();
        report("a1", ActorState.RUNNING, null); // a heartbeat resets the clock
        advance(Duration.ofSeconds(29));
        assertThat(launcher.actor("a1").stopAsked).isFalse();
        advance(Duration.ofSeconds(2));
        assertThat(launcher.actor("a1").stopAsked).isTrue();
        launcher.actor("a1").exit(0);
        assertThat(exits).singleElement().extracting(ActorExit::cause).isEqualTo(ActorExit.Cause.TIMED_OUT);
    }

    @Test
    void perActorTimeout_overridesTheArbitersDefault() {
        running("short", Spawn.thread().timeout(Duration.ofSeconds(1)));
        running("long", Spawn.thread());
        advance(Duration.ofMillis(1_100));
        assertThat(launcher.actor("short").stopAsked).isTrue();
        assertThat(launcher.actor("long").stopAsked).isFalse();
    }

    @Test
    void perActorStopGrace_decidesWhenTheKillComes() {
        running("a1", Spawn.thread().timeout(Duration.ofSeconds(1)).stopGrace(Duration.ofMillis(500)));
        advance(Duration.ofMillis(1_100));
        FakeActor a = launcher.actor("a1");
        assertThat(a.stopAsked).isTrue();
        advance(Duration.ofMillis(400));
        assertThat(a.killed).isFalse();
        advance(Duration.ofMillis(200));
        assertThat(a.killed).isTrue();
        a.exit(137);
        assertThat(exits).singleElement().extracting(ActorExit::cause).isEqualTo(ActorExit.Cause.KILLED);
    }

    @Test
    void reportedTimeout_replacesTheSpawnTimeout() {
        running("a1", Spawn.thread().timeout(Duration.ofSeconds(1)));
        report("a1", ActorState.RUNNING, Duration.ofSeconds(10)); // config set timeout 10 on the actor
        advance(Duration.ofSeconds(5));
        assertThat(launcher.actor("a1").stopAsked).isFalse();
        advance(Duration.ofSeconds(6));
        assertThat(launcher.actor("a1").stopAsked).isTrue();
    }

    @Test
    void exitDuringTheGrace_isAStop_notAKill() {
        running("a1", Spawn.thread());
        supervisor.stop(supervisor.record("a1"), ActorExit.Cause.STOPPED);
        advance(Duration.ofSeconds(3));
        launcher.actor("a1").exit(0);
        advance(Duration.ofSeconds(10));
        assertThat(launcher.actor("a1").killed).isFalse();
        assertThat(exits).singleElement().extracting(ActorExit::cause).isEqualTo(ActorExit.Cause.STOPPED);
        assertThat(supervisor.record("a1")).isNull();
    }

    @Test
    void unaskedNonZeroExit_isACrash_withItsCodeAndOutput() {
        running("a1", Spawn.process());
        launcher.actor("a1").exit(3, "Exception in thread main");
        ActorExit e = exits.get(0);
        assertThat(e.cause()).isEqualTo(ActorExit.Cause.CRASHED);
        assertThat(e.exitCode()).isEqualTo(OptionalInt.of(3));
        assertThat(e.lastOutput()).contains("Exception in thread main");
        assertThat(e.concurrency()).isEqualTo(Concurrency.PROCESS);
    }

    @Test
    void exitBeforeTheHandshake_failsTheSpawn_withTheChildsOutput() {
        CompletableFuture<ActorProxy> f = spawn("a1", Spawn.process());
        launcher.actor("a1").exit(1, "Unrecognized VM option 'Bogus'");
        Throwable t = failure(f);
        assertThat(((PulsarException) t).kind()).isEqualTo(FailureKind.REMOTE_ERROR);
        assertThat(t.getMessage()).contains("exited before its handshake completed", "exit code 1", "Unrecognized VM option 'Bogus'");
        assertThat(exits.get(0).cause()).isEqualTo(ActorExit.Cause.FAILED_TO_START);
    }

    @Test
    void failedReport_failsTheSpawn_andLaterNotifiesAreRefused() {
        CompletableFuture<ActorProxy> f = spawn("a1", Spawn.thread());
        report("a1", ActorState.FAILED, null);
        assertThat(failure(f)).hasMessageContaining("failed to start: boom");
        assertThatThrownBy(() -> report("a1", ActorState.STOPPING, null))
                .isInstanceOfSatisfying(PulsarException.class, p -> assertThat(p.kind()).isEqualTo(FailureKind.NO_SUCH_ACTOR));
        assertThat(supervisor.record("a1").isLive()).isFalse();
    }

    @Test
    void killedActorThatNeverReportsItsEnd_isDroppedAfterAWait() {
        running("a1", Spawn.thread().timeout(Duration.ofSeconds(1)));
        FakeActor a = launcher.actor("a1");
        a.ignoresKill = true;
        advance(Duration.ofMillis(1_100)); // stop
        advance(Duration.ofMillis(5_100)); // kill
        assertThat(a.killed).isTrue();
        assertThat(supervisor.record("a1")).isNotNull();
        advance(Duration.ofMillis(1_100));
        assertThat(supervisor.record("a1")).isNull();
        assertThat(exits).singleElement().extracting(ActorExit::cause).isEqualTo(ActorExit.Cause.KILLED);
    }

    @Test
    void duplicateAid_failsTheSecondSpawn() {
        running("a1", Spawn.thread());
        CompletableFuture<ActorProxy> second = spawn("a1", Spawn.thread());
        assertThat(failure(second)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a1' is alive");
    }

    @Test
    void launchFailure_failsTheSpawn_andReportsAnExit() {
        launcher.failNext = true;
        CompletableFuture<ActorProxy> f = spawn("a1", Spawn.process());
        assertThat(failure(f)).hasMessageContaining("not started: no java");
        assertThat(exits).singleElement().extracting(ActorExit::cause).isEqualTo(ActorExit.Cause.FAILED_TO_START);
    }

    @Test
    void age_isTheSpawnOrder_inInfoAndExits() {
        running("a1", Spawn.thread());
        running("a2", Spawn.thread());
        assertThat(supervisor.page(0, 1000).stream().map(m -> m.get("age")).toList()).containsExactly(1L, 2L);
        launcher.actor("a2").exit(0);
        assertThat(exits.get(0).age()).isEqualTo(2);
        assertThat(supervisor.recentExits().get(0)).containsEntry("cause", "stopped").containsEntry("age", 2L);
    }

    @Test
    void cancelledListener_hearsNothingMore() {
        List<ActorExit> heard = new ArrayList<>();
        EventLoop.Handle h = supervisor.watch(new ActorListener() {
            @Override
            public void exited(ActorExit exit) {
                heard.add(exit);
            }
        });
        running("a1", Spawn.thread());
        running("a2", Spawn.thread());
        launcher.actor("a1").exit(0);
        h.cancel();
        launcher.actor("a2").exit(0);
        assertThat(heard).extracting(ActorExit::aid).containsExactly("a1");
        assertThat(h.isCancelled()).isTrue();
    }

    @Test
    void aFailingListener_doesNotStopTheOthers() {
        supervisor.watch(new ActorListener() {
            @Override
            public void exited(ActorExit exit) {
                throw new IllegalStateException("listener bug");
            }
        });
        running("a1", Spawn.thread());
        launcher.actor("a1").exit(0);
        assertThat(exits).hasSize(1);
    }

    /** Records launches; each launched actor is driven by the test. */
    private static final class FakeLauncher implements Launcher {
        final Map<String, FakeActor> actors = new java.util.HashMap<>();
        boolean failNext;

        @Override
        public LaunchedActor launch(LaunchRequest request) throws java.io.IOException {
            if (failNext) {
                failNext = false;
                throw new java.io.IOException("no java");
            }
            FakeActor a = new FakeActor(request);
            actors.put(request.aid(), a);
            return a;
        }

        FakeActor actor(String aid) {
            return actors.get(aid);
        }
    }

    private static final class FakeActor implements LaunchedActor {
        final LaunchRequest request;
        boolean stopAsked;
        boolean killed;
        boolean alive = true;
        boolean ignoresKill;
        /** A co-located actor's shared-loop beat, or 0. */
        long beat;

        FakeActor(LaunchRequest request) {
            this.request = request;
        }

        void exit(int code) {
            exit(code, "");
        }

        void exit(int code, String output) {
            alive = false;
            request.onExit().accept(new ExitNotice(OptionalInt.of(code), "exit code " + code, output));
        }

        @Override
        public long pid() {
            return 42;
        }

        @Override
        public CompletableFuture<Void> stop(InetSocketAddress mailbox) {
            stopAsked = true;
            return new CompletableFuture<>();
        }

        @Override
        public void kill() {
            killed = true;
            alive = ignoresKill;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public long aliveNanos() {
            return beat;
        }
    }

    @Test
    void coLocatedActor_withoutNotifies_livesWhileItsLoopBeats_andIsStoppedWhenTheBeatStops() {
        running("co", Spawn.thread().colocated().timeout(Duration.ofSeconds(1)));
        FakeActor a = launcher.actor("co");
        for (int i = 0; i < 30; i++) {
            a.beat = now;
            advance(Duration.ofMillis(500));
        }
        assertThat(a.stopAsked).isFalse();
        advance(Duration.ofMillis(1_100)); // no beat for longer than its timeout
        assertThat(a.stopAsked).isTrue();
    }

    @Test
    void largeTable_checksSilenceEveryTenthTick_butAStopsGraceEveryTick() {
        for (int i = 0; i < Supervisor.SMALL_TABLE + 1; i++) {
            running("a" + i, Spawn.thread().timeout(Duration.ofSeconds(1)).stopGrace(Duration.ofMillis(150)));
        }
        FakeActor first = launcher.actor("a0");
        advance(Duration.ofMillis(1_100)); // tick 1: silent already, not looked at yet
        assertThat(first.stopAsked).isFalse();
        for (int t = 2; t <= Supervisor.SILENCE_EVERY; t++) {
            advance(Duration.ofMillis(10));
        }
        assertThat(first.stopAsked).isTrue(); // the tenth tick checked every record
        advance(Duration.ofMillis(100));
        assertThat(first.killed).isFalse();
        advance(Duration.ofMillis(100)); // the grace ran out: seen on the very next tick
        assertThat(first.killed).isTrue();
    }
}
