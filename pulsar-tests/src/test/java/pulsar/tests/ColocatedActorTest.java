package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/**
 * Co-located actors beyond the contract: loop-mates are isolated from each other's stop, kill
 * and failures; {@code info} shows them; the arbiter's stop stops them all; a thousand of them
 * come and go leaving no thread or file descriptor behind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ColocatedActorTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    static final AtomicInteger STOP_HOOKS = new AtomicInteger();

    private static ActorProxy spawn(Spawn spec) {
        return Pulsar.spawn(spec).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static Object reply(CompletableFuture<Object> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static PulsarException failure(CompletableFuture<Object> f) {
        try {
            f.orTimeout(20, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(PulsarException.class);
            return (PulsarException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    private static boolean arbiterKnows(String aid) {
        return Pulsar.arbiter().actors().stream().anyMatch(a -> a.aid().equals(aid));
    }

    private static String threadOf(ActorProxy p) {
        return (String) reply(p.run((actor, args) -> Thread.currentThread().getName()));
    }

    @Test
    @Order(1)
    void loopMates_shareOneThread_andOnesStopKillOrFailureLeavesTheOthersRunning() {
        ActorProxy a = spawn(Spawn.thread().colocated().name("a"));
        ActorProxy b = spawn(Spawn.thread().onLoopOf(a).name("b"));
        ActorProxy c = spawn(Spawn.thread().onLoopOf(a).name("c"));
        assertThat(threadOf(a)).startsWith("pulsar-shared-").isEqualTo(threadOf(b)).isEqualTo(threadOf(c));
        // a send between loop-mates, by aid, and the current actor on each side
        assertThat(reply(a.run((actor, args) -> Pulsar.send(args.get(0), "run",
                (pulsar.ActorFunction<Object>) (x, y) -> Pulsar.getActor().aid()), b.aid()))).isEqualTo(b.aid());
        // ... and the reply's callback runs as the sender
        assertThat(reply(a.run((actor, args) -> Pulsar.send(args.get(0), "ping")
                .thenApply(x -> Pulsar.getActor().aid() + " " + Thread.currentThread().getName()), b.aid())))
                .isEqualTo(a.aid() + " " + threadOf(a));

        // a failing command, a throwing callback on the shared loop: b fails that call only
        assertThat(failure(b.run((actor, args) -> { throw new IllegalStateException("boom"); })).getMessage()).contains("boom");
        reply(b.run((actor, args) -> {
            actor.loop().callSoon(() -> { throw new IllegalStateException("callback boom"); });
            return null;
        }));
        assertThat(reply(b.send("ping"))).isEqualTo("PONG");
        assertThat(reply(c.send("ping"))).isEqualTo("PONG");

        // a stops itself: its mates go on
        assertThat(reply(a.send("stop"))).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(a.aid()));
        assertThat(failure(a.send("ping")).kind()).isEqualTo(FailureKind.NO_SUCH_ACTOR);
        assertThat(reply(b.send("ping"))).isEqualTo("PONG");

        // c is killed: b goes on
        assertThat(reply(Pulsar.send("arbiter", "kill_actor", c.aid()))).isEqualTo(true);
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(c.aid()));
        assertThat(reply(b.send("ping"))).isEqualTo("PONG");
        // actor.loop().stop() stops the actor, not the loop
        ActorProxy d = spawn(Spawn.thread().onLoopOf(b).name("d"));
        reply(d.run((actor, args) -> {
            actor.loop().stop();
            return null;
        }));
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(d.aid()));
        assertThat(reply(b.send("ping"))).isEqualTo("PONG");
        reply(Pulsar.send("arbiter", "kill_actor", b.aid()));
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void info_ofTheActorAndOfTheArbiter_showsItCoLocated() {
        ActorProxy p = spawn(Spawn.thread().colocated().name("shown"));
        Map<String, Object> info = (Map<String, Object>) reply(p.send("info"));
        assertThat(info).containsEntry("aid", p.aid()).containsEntry("name", "shown").containsEntry("colocated", true)
                .containsEntry("state", "running");
        assertThat((String) info.get("thread")).startsWith("pulsar-shared-");
        Map<String, Object> all = (Map<String, Object>) reply(Pulsar.send("arbiter", "info"));
        List<Map<String, Object>> actors = (List<Map<String, Object>>) all.get("actors");
        assertThat(actors).anySatisfy(m -> assertThat(m).containsEntry("aid", p.aid()).containsEntry("colocated", true));
        assertThat(reply(Pulsar.send("arbiter", "whereis", p.aid()))).asString().startsWith("actor:127.0.0.1:");
        reply(Pulsar.send("arbiter", "kill_actor", p.aid()));
    }

    @Test
    @Order(3)
    void onLoopOf_anActorThatIsNotCoLocated_failsTheSpawn_andAProcessOrCpuBoundSpecIsRefused() {
        ActorProxy own = spawn(Spawn.thread().name("own"));
        assertThatThrownBy(() -> spawn(Spawn.thread().onLoopOf(own))).hasMessageContaining("not a live co-located actor");
        assertThatThrownBy(() -> Spawn.process().colocated()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spawn.thread().cpuBound().colocated()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spawn.thread().colocated().cpuBound()).isInstanceOf(IllegalArgumentException.class);
        reply(Pulsar.send("arbiter", "kill_actor", own.aid()));
    }

    @Test
    @Order(5)
    void aProcessActor_reachesACoLocatedActor_byAidAndByProxy_throughTheArbitersMailbox() {
        ActorProxy co = spawn(Spawn.thread().colocated().name("far"));
        ActorProxy child = spawn(Spawn.process().name("child"));
        assertThat(reply(child.run((actor, args) -> Pulsar.send(args.get(0), "echo", "by aid"), co.aid()))).isEqualTo("by aid");
        assertThat(reply(child.run((actor, args) -> Pulsar.send(args.get(0), "run",
                (pulsar.ActorFunction<Object>) (a, x) -> a.aid() + " " + Thread.currentThread().getName()), co)))
                .asString().startsWith(co.aid() + " pulsar-shared-");
        assertThat(reply(child.run((actor, args) -> ((ActorProxy) args.get(0)).send("ping"), co))).isEqualTo("PONG");
        // the other way: a co-located actor's send over the socket to the process actor; its reply's callback runs as it
        assertThat(reply(co.run((actor, args) -> Pulsar.send(args.get(0), "ping")
                .thenApply(x -> x + " " + (Pulsar.getActor() == actor) + " " + Thread.currentThread().getName()), child.aid())))
                .asString().startsWith("PONG true pulsar-shared-");
        reply(Pulsar.send("arbiter", "kill_actor", co.aid()));
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(co.aid()));
        assertThat(reply(child.run((actor, args) -> Pulsar.send(args.get(0), "ping")
                .handle((v, e) -> e == null ? "answered"
                        : String.valueOf((e instanceof CompletionException c ? c.getCause() : e) instanceof PulsarException x ? x.kind() : e)),
                co.aid())))
                .isEqualTo("NO_SUCH_ACTOR");
        reply(Pulsar.send("arbiter", "kill_actor", child.aid()));
    }

    @Test
    @Order(4)
    void aThousandActors_spawnAndStopWithTheArbiter_leavingNoThreadOrDescriptorBehind() throws Exception {
        for (ActorProxy left : Pulsar.arbiter().actors()) {
            reply(Pulsar.send("arbiter", "kill_actor", left.aid()));
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().isEmpty());
        int fdsBefore = fds();
        int threadsBefore = Thread.activeCount();
        STOP_HOOKS.set(0);
        int n = 1_000;
        List<CompletableFuture<ActorProxy>> spawning = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            spawning.add(Pulsar.spawn(Spawn.thread().colocated().name("many-" + i).onStop(actor -> STOP_HOOKS.incrementAndGet())));
        }
        List<ActorProxy> actors = new ArrayList<>();
        for (CompletableFuture<ActorProxy> f : spawning) {
            actors.add(f.get(60, TimeUnit.SECONDS));
        }
        List<CompletableFuture<Object>> pings = new ArrayList<>();
        for (ActorProxy p : actors) {
            pings.add(p.send("ping"));
        }
        for (CompletableFuture<Object> f : pings) {
            assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("PONG");
        }
        int loops = Runtime.getRuntime().availableProcessors();
        assertThat(sharedThreads()).isEqualTo(loops);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + loops + 8); // not a thread per actor
        assertThat(fds()).isLessThanOrEqualTo(fdsBefore + 4 * loops + 16);              // not a socket per actor

        Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        assertThat(STOP_HOOKS.get()).isEqualTo(n);
        await().atMost(ArbiterExtension.deadline()).until(() -> sharedThreads() == 0);
        await().atMost(ArbiterExtension.deadline()).until(() -> fds() <= fdsBefore);
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS); // for the extension, which stops it after the class
    }

    private static long sharedThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pulsar-shared-")).count();
    }

    private static int fds() {
        String[] list = new java.io.File("/proc/self/fd").list();
        return list == null ? 0 : list.length;
    }

}
