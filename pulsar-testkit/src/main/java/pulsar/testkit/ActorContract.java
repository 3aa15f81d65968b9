package pulsar.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Actor;
import pulsar.ActorExit;
import pulsar.ActorFunction;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.ActorProxyFuture;
import pulsar.ActorState;
import pulsar.EventLoop;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Spawn;

/**
 * The behaviour every actor kind must have, written once: a subclass names the kind with
 * {@link #spec()} and registers an {@link ArbiterExtension}. Every test talks to a real actor
 * over its real mailbox (or the in-JVM path where that is the point).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ActorContract {
    private final List<ActorProxy> spawned = new ArrayList<>();

    /** The spec of the actor kind under test, e.g. {@code Spawn.thread()}. */
    protected abstract Spawn spec();

    /** The secret of the arbiter the subclass registered. */
    protected String secret() {
        return Pulsar.secret(Pulsar.arbiter().settings());
    }

    /** Spawns and waits for the handshake; the actor is stopped after the test. */
    protected ActorProxy spawn(Spawn spec) {
        ActorProxy p = Pulsar.spawn(spec).orTimeout(30, TimeUnit.SECONDS).join();
        spawned.add(p);
        return p;
    }

    /** Waits for a reply. */
    protected static Object reply(CompletableFuture<Object> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** The failure of a call that must fail. */
    protected static PulsarException failure(CompletableFuture<Object> f) {
        try {
            f.orTimeout(20, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(PulsarException.class);
            return (PulsarException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(ActorProxy p) {
        return (List<String>) reply(p.run((actor, args) -> Probe.events(actor.aid())));
    }

    @AfterEach
    void stopSpawned() {
        for (ActorProxy p : spawned) {
            Pulsar.send("arbiter", "kill_actor", p.aid()).orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().stream()
                .noneMatch(a -> spawned.stream().anyMatch(s -> s.aid().equals(a.aid()))));
        spawned.clear();
    }

    @Test
    public void spawn_givesAidAtOnce_andProxyAfterHandshake() {
        ActorProxyFuture f = Pulsar.spawn(spec().name("contract"));
        assertThat(f.aid()).isNotBlank();
        ActorProxy p = f.orTimeout(30, TimeUnit.SECONDS).join();
        spawned.add(p);
        assertThat(p.aid()).isEqualTo(f.aid());
        assertThat(p.name()).isEqualTo("contract");
        assertThat(p.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(p.address().getPort()).isPositive();
        assertThat(Pulsar.arbiter().actors()).extracting(ActorProxy::aid).contains(p.aid());
    }

    @Test
    public void ping_answersPong_andEchoAnswersItsArgument() {
        ActorProxy p = spawn(spec());
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
        assertThat(reply(p.send("echo", "hi"))).isEqualTo("hi");
        assertThat(reply(Pulsar.send(p.aid(), "echo", 42))).isEqualTo(42L);
        assertThat(reply(Pulsar.send(p.address(), "echo", List.of(1, "two", 3.5, true)))).isEqualTo(List.of(1L, "two", 3.5, true));
        assertThat(reply(p.send("echo", Map.of("k", "v")))).isEqualTo(Map.of("k", "v"));
        assertThat(reply(p.send("echo", (Object) null))).isNull();
    }

    /** A serializable value that travels as a tagged object. */
    public record Point(int x, int y) implements Serializable {
    }

    @Test
    public void objects_travelAsTaggedValues_andResultsComeBack() {
        ActorProxy p = spawn(spec());
        assertThat(reply(p.send("echo", new Point(1, 2)))).isEqualTo(new Point(1, 2));
        assertThat(reply(p.run((actor, args) -> new Point(((Long) args.get(0)).intValue(), 7), 5))).isEqualTo(new Point(5, 7));
    }

    @Test
    public void run_executesOnTheActorsLoop() {
        ActorProxy p = spawn(spec());
        // commands run on the I/O loop: the actor's only loop, or a CPU-bound actor's second one
        Object reply = reply(p.run((actor, args) -> List.of(actor.aid(), Pulsar.getActor() == actor,
                actor.ioLoop().inLoop(), actor.state().wireName(), args)));
        assertThat(reply).isEqualTo(List.of(p.aid(), true, true, "running", List.of()));
    }

    @Test
    public void run_returningAStage_repliesWhenItCompletes() {
        ActorProxy p = spawn(spec());
        Object reply = reply(p.run((actor, args) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            actor.loop().callLater(Duration.ofMillis(100), () -> f.complete("later"));
            return f;
        }));
        assertThat(reply).isEqualTo("later");
    }

    @Test
    public void slowCommand_doesNotHoldUpAPingSentAfterIt() {
        ActorProxy p = spawn(spec());
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        CompletableFuture<Object> slow = p.run((actor, args) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            actor.loop().callLater(Duration.ofSeconds(1), () -> f.complete("slow"));
            return f;
        }).whenComplete((v, e) -> order.add("slow"));
        CompletableFuture<Object> ping = p.send("ping").whenComplete((v, e) -> order.add("pong"));
        reply(slow);
        reply(ping);
        assertThat(order).containsExactly("pong", "slow");
    }

    @Test
    public void info_reportsTheActor() {
        ActorProxy p = spawn(spec().name("informed").onInfo((actor, info) -> info.put("custom", "yes")));
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) reply(p.send("info"));
        assertThat(info).containsEntry("aid", p.aid()).containsEntry("name", "informed")
                .containsEntry("state", "running").containsEntry("kind", spec().concurrency().wireName())
                .containsEntry("custom", "yes").containsKeys("pid", "uptime", "address");
        assertThat(info.get("address")).isEqualTo("127.0.0.1:" + p.address().getPort());
    }

    @Test
    public void arbiterInfo_listsLiveActors() {
        ActorProxy p = spawn(spec());
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) reply(Pulsar.send("arbiter", "info"));
        assertThat(info).containsEntry("aid", "arbiter").containsEntry("is_arbiter", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actors = (List<Map<String, Object>>) info.get("actors");
        assertThat(actors).anySatisfy(a -> {
            assertThat(a).containsEntry("aid", p.aid()).containsEntry("state", "running").containsKeys("pid", "uptime", "last_notify_age");
        });
    }

    @Test
    public void onStart_runsOnceOnTheLoop_beforeTheSpawnCompletes() {
        ActorProxy p = spawn(spec().onStart(actor -> Probe.record(actor, "start:" + actor.state().wireName())));
        assertThat(events(p)).containsExactly("start:starting");
    }

    @Test
    public void behaviourClass_hooksRun() {
        ActorProxy p = spawn(spec().behaviour(RecordingBehaviour.class));
        assertThat(events(p)).containsExactly("behaviour-start");
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) reply(p.send("info"));
        assertThat(info).containsEntry("behaviour", "recording");
    }

    @Test
    public void onStart_failure_failsTheSpawn_withTheHooksError() {
        ActorProxyFuture f = Pulsar.spawn(spec().onStart(actor -> {
            throw new IllegalStateException("no database");
        }));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(PulsarException.class)
                .hasMessageContaining("no database");
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().stream().noneMatch(a -> a.aid().equals(f.aid())));
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(f.aid()));
    }

    @Test
    public void behaviourWhoseConstructorThrows_failsTheSpawn_withTheConstructorsOwnError() {
        ActorProxyFuture f = Pulsar.spawn(spec().behaviour(ThrowingBehaviour.class));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                .hasCauseInstanceOf(PulsarException.class)
                .hasMessageContaining("no config file for the behaviour")
                .hasMessageNotContaining("InvocationTargetException");
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(f.aid()));
    }

    @Test
    public void runFunctionThatThrows_isLoggedOnTheActor_andFailsOnlyThatCall() {
        ActorProxy p = spawn(spec());
        LogCapture.install();
        assertThat(failure(p.run((actor, args) -> {
            throw new IllegalStateException("run went wrong " + actor.aid());
        })).getMessage()).contains("run went wrong");
        await().atMost(ArbiterExtension.deadline())
                .until(() -> LogCapture.contains("actor " + p.aid() + ": a 'run' function failed"));
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    private static boolean arbiterKnows(String aid) {
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) reply(Pulsar.send("arbiter", "info"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> actors = (List<Map<String, Object>>) info.get("actors");
        return actors.stream().anyMatch(a -> aid.equals(a.get("aid")));
    }

    @Test
    public void handshakeTimeout_failsTheSpawn_andTheActorGoes() {
        ActorProxyFuture f = Pulsar.spawn(spec().handshakeTimeout(Duration.ofMillis(1500))
                .behaviour(NeverStarts.class));
        assertThatThrownBy(() -> f.orTimeout(30, TimeUnit.SECONDS).join())
                .cause().isInstanceOf(PulsarException.class)
                .satisfies(e -> assertThat(((PulsarException) e).kind()).isEqualTo(FailureKind.TIMEOUT))
                .hasMessageContaining("handshake");
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(f.aid()));
    }

    @Test
    public void stopCommand_runsOnStopOnce_andTheActorLeaves() {
        ActorProxy p = spawn(spec().onStop(actor -> Probe.record(actor, "stop")));
        reply(p.run((actor, args) -> {
            Probe.record(actor, "marker");
            return null;
        }));
        assertThat(reply(p.send("stop"))).isEqualTo("OK");
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(p.aid()));
        assertThat(failure(p.send("ping")).kind()).isIn(FailureKind.CONNECTION_LOST, FailureKind.NO_SUCH_ACTOR);
    }

    @Test
    public void perActorTimeout_stopsASilentActor_andItsGraceKillsOneThatIgnoresTheStop() throws Exception {
        ConcurrentLinkedQueue<ActorExit> exits = new ConcurrentLinkedQueue<>();
        EventLoop.Handle watch = Pulsar.arbiter().watch(new ActorListener() {
            @Override
            public void exited(ActorExit exit) {
                exits.add(exit);
            }
        });
        try {
            ActorProxy p = spawn(spec().timeout(Duration.ofSeconds(1)).stopGrace(Duration.ofMillis(500)));
            assertThat(Pulsar.arbiter().settings().timeout()).isGreaterThan(Duration.ofSeconds(5));
            long start = System.nanoTime();
            // Blocks the actor's loop: no heartbeat, and the stop that follows is never served.
            p.run((actor, args) -> {
                Thread.sleep(30_000);
                return null;
            });
            await().atMost(ArbiterExtension.deadline()).until(() -> exits.stream().anyMatch(e -> e.aid().equals(p.aid())));
            ActorExit exit = exits.stream().filter(e -> e.aid().equals(p.aid())).findFirst().orElseThrow();
            assertThat(exit.cause()).isEqualTo(ActorExit.Cause.KILLED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // A killed actor's port refuses connections rather than leaving clients hanging.
            await().atMost(ArbiterExtension.deadline()).until(() -> refuses(p.address()));
        } finally {
            watch.cancel();
        }
    }

    private static boolean refuses(InetSocketAddress address) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address, 1000);
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    public void settings_areTheArbitersWithTheSpawnsOverrides() {
        ActorProxy p = spawn(spec().setting("timeout", "7s").setting("handshake_timeout", Duration.ofSeconds(9)));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) reply(p.run((actor, args) -> actor.settings().toMap()));
        assertThat(seen).containsEntry("timeout", 7.0).containsEntry("handshake_timeout", 9.0)
                .containsEntry("stop_grace", Pulsar.arbiter().settings().stopGrace().toMillis() / 1000.0);
        assertThatThrownBy(() -> spec().setting("mailbox_host", "0.0.0.0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mailbox_host");
        assertThatThrownBy(() -> spec().setting("timeout", "soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout").hasMessageContaining("soon");
        assertThatThrownBy(() -> spec().setting("no_such", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no_such");
    }

    @Test
    @SuppressWarnings("unchecked")
    public void configGetAndSet_onTheActor() {
        ActorProxy p = spawn(spec().timeout(Duration.ofSeconds(20)));
        Map<String, Object> got = (Map<String, Object>) reply(p.send("config", "get", "*timeout"));
        assertThat(got).containsKeys("timeout", "handshake_timeout").containsEntry("timeout", "20")
                .allSatisfy((k, v) -> assertThat(k).endsWith("timeout"));
        assertThat(reply(p.send("config", "set", "timeout", "12s"))).isEqualTo("OK");
        assertThat((Map<String, Object>) reply(p.send("config", "get", "timeout"))).containsEntry("timeout", "12");
        // The arbiter hears the new timeout with the next notify.
        await().atMost(ArbiterExtension.deadline()).until(() -> actorInfo(p.aid()).get("timeout").equals(12.0));
        assertThat(failure(p.send("config", "set", "timeout", "soon")).getMessage()).contains("timeout").contains("soon");
        assertThat(failure(p.send("config", "set", "nope", "1")).getMessage()).contains("nope").contains("1");
        assertThat(failure(p.send("config", "set", "mailbox_host", "0.0.0.0")).getMessage())
                .contains("mailbox_host").contains("cannot change at run time");
        assertThat(failure(p.send("config", "set", "jvm_options", "-Xmx1g")).getMessage()).contains("cannot change at run time");
        assertThat(failure(p.send("config", "frob")).getMessage()).contains("frob");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void configGet_throughRedisCli_hasRedissReplyShape() throws Exception {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
        ActorProxy p = spawn(spec());
        int port = p.address().getPort();
        List<String> all = RedisCli.call(port, secret(), "config", "get", "*").lines().toList();
        assertThat(all.size()).isEqualTo(2 * pulsar.Settings.names().size());
        assertThat(all.get(all.indexOf("stop_grace") + 1)).isEqualTo(ConfigText.of(Pulsar.arbiter().settings().stopGrace()));
        assertThat(RedisCli.call(port, secret(), "config", "set", "stop_grace", "3s")).isEqualTo("OK");
        assertThat(RedisCli.call(port, secret(), "config", "get", "stop_grace").lines().toList()).containsExactly("stop_grace", "3");
        assertThat(RedisCli.call(port, secret(), "config", "set", "stop_grace", "x")).contains("ERR").contains("stop_grace").contains("'x'");
    }

    @Test
    @SuppressWarnings("unchecked")
    public void arbiterInfo_givesEachActorItsAge_inSpawnOrder() {
        ActorProxy older = spawn(spec());
        ActorProxy younger = spawn(spec());
        long a = (Long) actorInfo(older.aid()).get("age");
        long b = (Long) actorInfo(younger.aid()).get("age");
        assertThat(a).isPositive().isLessThan(b);
        Map<String, Object> own = (Map<String, Object>) reply(younger.send("info"));
        assertThat(own).containsEntry("age", b);
    }

    @Test
    public void exitListener_hearsAStop_withTheActorsAge() {
        ConcurrentLinkedQueue<ActorExit> exits = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> states = new ConcurrentLinkedQueue<>();
        EventLoop.Handle watch = Pulsar.arbiter().watch(new ActorListener() {
            @Override
            public void stateChanged(String aid, ActorState state) {
                states.add(aid + " " + state.wireName());
            }

            @Override
            public void exited(ActorExit exit) {
                exits.add(exit);
            }
        });
        try {
            ActorProxy p = spawn(spec().name("heard"));
            assertThat(states).contains(p.aid() + " running");
            assertThat(reply(p.send("stop"))).isEqualTo("OK");
            await().atMost(ArbiterExtension.deadline()).until(() -> exits.stream().anyMatch(e -> e.aid().equals(p.aid())));
            ActorExit exit = exits.stream().filter(e -> e.aid().equals(p.aid())).findFirst().orElseThrow();
            assertThat(exit.cause()).isEqualTo(ActorExit.Cause.STOPPED);
            assertThat(exit.name()).isEqualTo("heard");
            assertThat(exit.age()).isPositive();
        } finally {
            watch.cancel();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> actorInfo(String aid) {
        Map<String, Object> info = (Map<String, Object>) reply(Pulsar.send("arbiter", "info"));
        return ((List<Map<String, Object>>) info.get("actors")).stream().filter(a -> aid.equals(a.get("aid")))
                .findFirst().orElseThrow(() -> new AssertionError("the arbiter does not list " + aid));
    }

    /** Durations as {@code config get} writes them. */
    private static final class ConfigText {
        static String of(Duration d) {
            double s = d.toMillis() / 1000.0;
            return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
        }
    }

    @Test
    public void killActor_stopsTheActor() {
        ActorProxy p = spawn(spec());
        assertThat(reply(Pulsar.send("arbiter", "kill_actor", p.aid()))).isEqualTo(true);
        await().atMost(ArbiterExtension.deadline()).until(() -> !arbiterKnows(p.aid()));
        assertThat(reply(Pulsar.send("arbiter", "kill_actor", "no-such-aid"))).isEqualTo(false);
    }

    @Test
    public void unknownCommand_failsTheCall_andTheActorStillAnswers() {
        ActorProxy p = spawn(spec());
        PulsarException e = failure(p.send("no_such_command", 1));
        assertThat(e.kind()).isEqualTo(FailureKind.UNKNOWN_COMMAND);
        assertThat(e.getMessage()).isEqualTo("ERR unknown command 'no_such_command'");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void failingCommand_failsOnlyThatCall() {
        ActorProxy p = spawn(spec());
        PulsarException e = failure(p.run((actor, args) -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(e.kind()).isEqualTo(FailureKind.REMOTE_ERROR);
        assertThat(e.getMessage()).contains("IllegalStateException").contains("boom");
        PulsarException bad = failure(p.send("run", "not a function"));
        assertThat(bad.getMessage()).contains("'run' takes a function");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void customCommand_isAvailableWithoutWiring() {
        ActorProxy p = spawn(spec());
        assertThat(reply(p.send("greet", "ann"))).isEqualTo("hello ann from " + p.aid());
        assertThat(reply(p.send("ADD", 2, 3))).isEqualTo(5L);
        assertThat(failure(p.send("fail_on_purpose", 1)).getMessage()).contains("failed on purpose");
        assertThat(failure(p.send("add", "x", 1)).getMessage()).contains("'add' argument 1");
    }

    @Test
    public void nonSerializableArgument_failsAtTheCaller() {
        ActorProxy p = spawn(spec());
        Object notSerializable = new Object();
        assertThatThrownBy(() -> reply(p.send("echo", notSerializable)))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("java.lang.Object").hasMessageContaining("Serializable");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void blockingOnAFuture_fromTheLoop_failsAtOnce() {
        ActorProxy p = spawn(spec());
        PulsarException e = failure(p.run((actor, args) -> Pulsar.send("arbiter", "ping").join()));
        assertThat(e.getMessage()).contains("event loop").contains("thenAccept");
    }

    @Test
    public void getActor_isTheActor_inScheduledCallbacks() {
        ActorProxy p = spawn(spec());
        Object reply = reply(p.run((actor, args) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            actor.loop().callLater(Duration.ofMillis(10), () -> f.complete(Pulsar.getActor() == actor));
            return f;
        }));
        assertThat(reply).isEqualTo(true);
    }

    @Test
    public void spawnFromInsideAnActor_goesThroughTheArbiter() {
        ActorProxy parent = spawn(spec());
        Spawn child = spec().name("grandchild");
        Object reply = reply(parent.run((actor, args) -> Pulsar.spawn(child).thenApply(ActorProxy::aid)));
        String aid = (String) reply;
        assertThat(Pulsar.arbiter().actors()).extracting(ActorProxy::aid).contains(aid);
        ActorProxy grandchild = Pulsar.arbiter().actors().stream().filter(a -> a.aid().equals(aid)).findFirst().orElseThrow();
        spawned.add(grandchild);
        assertThat(reply(grandchild.send("ping"))).isEqualTo("PONG");
        assertThat(reply(parent.run((actor, args) -> Pulsar.send(args.get(0), "echo", "via aid"), aid))).isEqualTo("via aid");
    }

    @Test
    public void garbageBytes_closeThatConnectionOnly() throws Exception {
        ActorProxy p = spawn(spec());
        try (RawMailbox raw = new RawMailbox(p.address())) {
            assertThat(raw.auth(secret())).isEqualTo("+OK");
            raw.write(new byte[] {0x01, 0x02, 'x', 'y', '\r', '\n'});
            assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error");
        }
        try (RawMailbox raw = new RawMailbox(p.address())) {
            raw.write("PING\r\n"); // inline commands are not spoken: also garbage
            assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error");
        }
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void unterminatedFrame_closesThatConnectionOnly() throws Exception {
        ActorProxy p = spawn(spec());
        try (RawMailbox raw = new RawMailbox(p.address())) {
            assertThat(raw.auth(secret())).isEqualTo("+OK");
            raw.write("*1\r\n$4\r\nPINGxx"); // bulk payload not followed by CRLF
            assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error");
        }
        try (RawMailbox raw = new RawMailbox(p.address())) {
            raw.write("*1\r\n$" + "9".repeat(70_000)); // a length line that never ends
            assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error");
        }
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void bulkOverTheLimit_closesThatConnectionOnly() throws Exception {
        ActorProxy p = spawn(spec());
        int limit = Pulsar.arbiter().settings().maxBulkLength();
        try (RawMailbox raw = new RawMailbox(p.address())) {
            assertThat(raw.auth(secret())).isEqualTo("+OK");
            raw.write("*2\r\n$4\r\nECHO\r\n$" + (limit + 1) + "\r\n");
            assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error").contains("exceeds");
        }
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void withoutAuth_everythingButAuthGetsNoauth_andNothingIsDecoded() throws Exception {
        ActorProxy p = spawn(spec());
        try (RawMailbox raw = new RawMailbox(p.address())) {
            raw.write("*1\r\n$4\r\nPING\r\n");
            assertThat(raw.readLine()).startsWith("-NOAUTH");
            // A tagged object before AUTH: must be refused without being deserialized.
            raw.write("*2\r\n$4\r\nECHO\r\n$4\r\n").write(new byte[] {(byte) 0xFF, 0x01, 'a', 'b', '\r', '\n'});
            assertThat(raw.readLine()).startsWith("-NOAUTH");
            raw.write("*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n");
            assertThat(raw.readLine()).startsWith("-WRONGPASS");
            assertThat(raw.auth(secret())).isEqualTo("+OK");
            raw.write("*1\r\n$4\r\nPING\r\n");
            assertThat(raw.readLine()).isEqualTo("+PONG");
        }
    }

    @Test
    public void redisCli_isARealClient() throws Exception {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
        ActorProxy p = spawn(spec().name("cli"));
        int port = p.address().getPort();
        assertThat(RedisCli.call(port, secret(), "ping")).isEqualTo("PONG");
        assertThat(RedisCli.call(port, secret(), "echo", "hi")).isEqualTo("hi");
        String info = RedisCli.call(port, secret(), "info");
        assertThat(info).contains("aid:" + p.aid()).contains("name:cli").contains("state:running");
        assertThat(RedisCli.call(port, secret(), "nosuch")).contains("ERR unknown command 'nosuch'");
        String resp3 = RedisCli.run(port, List.of("--no-auth-warning", "-a", secret(), "-3"), null, "info").output();
        assertThat(resp3).contains("aid").contains(p.aid()).doesNotContain("aid:" + p.aid());
        assertThat(RedisCli.run(port, List.of(), null, "ping").output()).contains("NOAUTH");
        // An interactive-style session on standard input: several commands on one connection.
        String session = RedisCli.run(port, List.of("--no-auth-warning", "-a", secret()), "ping\necho one\necho two\n").output();
        assertThat(session.lines().map(String::trim).toList()).containsExactly("PONG", "one", "two");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }

    @Test
    public void actorState_isObservable() {
        ActorProxy p = spawn(spec());
        assertThat(reply(p.run((actor, args) -> actor.state() == ActorState.RUNNING))).isEqualTo(true);
        InetSocketAddress a = p.address();
        assertThat(reply(p.run((actor, args) -> actor.address().getPort()))).isEqualTo((long) a.getPort());
    }

    /** Hooks as methods of a behaviour class. */
    public static final class RecordingBehaviour implements pulsar.ActorBehaviour {
        @Override
        public java.util.concurrent.CompletionStage<?> onStart(Actor actor) {
            Probe.record(actor, "behaviour-start");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onInfo(Actor actor, Map<String, Object> info) {
            info.put("behaviour", "recording");
        }
    }

    /** A behaviour whose {@code onStart} never completes. */
    public static final class NeverStarts implements pulsar.ActorBehaviour {
        @Override
        public java.util.concurrent.CompletionStage<?> onStart(Actor actor) {
            return new CompletableFuture<>();
        }
    }

    static ActorFunction<Object> fn(ActorFunction<Object> f) {
        return f;
    }

    /** A behaviour whose constructor fails, as one reading a missing file would. */
    public static final class ThrowingBehaviour implements pulsar.ActorBehaviour {
        /** Always throws. */
        public ThrowingBehaviour() {
            throw new IllegalStateException("no config file for the behaviour");
        }
    }
}
