package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * What a CPU-bound actor adds to the actor contract, for each kind: its request loop may block
 * (a long task, a blocking wait on a reply) while its mailbox keeps answering, and a stop
 * interrupts the task, or kills an actor that ignores the interrupt after its grace.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class CpuBoundActorCases {
    private final List<ActorProxy> spawned = new ArrayList<>();
    private final List<ActorExit> exits = new CopyOnWriteArrayList<>();
    private EventLoop.Handle watch;

    /** The kind under test, CPU-bound. */
    abstract Spawn spec();

    private ActorProxy spawn(Spawn spec) {
        if (watch == null) {
            watch = Pulsar.arbiter().watch(new ActorListener() {
                @Override
                public void exited(ActorExit exit) {
                    exits.add(exit);
                }
            });
        }
        ActorProxy p = Pulsar.spawn(spec).orTimeout(60, TimeUnit.SECONDS).join();
        spawned.add(p);
        return p;
    }

    @AfterEach
    void stopSpawned() {
        for (ActorProxy p : spawned) {
            Pulsar.send(p, "stop").exceptionally(e -> null).orTimeout(10, TimeUnit.SECONDS).join();
        }
        if (watch != null) {
            watch.cancel();
        }
    }

    /** Starts a task on the request loop that spins until interrupted or for {@code seconds}. */
    private static Object startSpin(ActorProxy p, int seconds, boolean honourInterrupt) {
        return p.run((actor, args) -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(((Number) args.get(0)).longValue());
            boolean honour = (Boolean) args.get(1);
            actor.loop().execute(() -> {
                long x = 0;
                while (System.nanoTime() < end && !(honour && Thread.currentThread().isInterrupted())) {
                    x += System.nanoTime() & 1; // busy: never yields the thread
                }
                if (x < 0) {
                    System.out.println(x);
                }
            });
            return actor.loop() != actor.ioLoop();
        }, seconds, honourInterrupt).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void ping_answersWithin100ms_whileATaskSpinsOnTheRequestLoop() {
        ActorProxy p = spawn(spec());
        assertThat(startSpin(p, 10, true)).isEqualTo(true);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long t0 = System.nanoTime();
            assertThat(p.send("ping").orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("PONG");
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) p.send("info").orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(info).containsEntry("cpu_bound", true).containsEntry("state", "running");
        assertThat((String) info.get("request_thread")).endsWith("-requests");
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        // the median, so that one scheduling hiccup of a loaded machine does not decide
        assertThat(sorted.get(sorted.size() / 2)).as("ping round trips (ms) while the task spins: %s", millis).isLessThanOrEqualTo(100);
    }

    @Test
    void stop_duringALongTask_interruptsIt_andTheActorStopsCleanly_withinItsGrace() {
        ActorProxy p = spawn(spec().stopGrace(Duration.ofSeconds(5)).onStop(actor -> System.out.println("cpu-bound onStop ran")));
        startSpin(p, 60, true);
        long t0 = System.nanoTime();
        assertThat(p.send("stop").orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("OK");
        await().atMost(Duration.ofSeconds(5)).until(() -> exits.stream().anyMatch(e -> e.aid().equals(p.aid())));
        ActorExit exit = exits.stream().filter(e -> e.aid().equals(p.aid())).findFirst().orElseThrow();
        assertThat(exit.cause()).as("%s after %d ms", exit, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                .isEqualTo(ActorExit.Cause.STOPPED);
    }

    @Test
    void stop_duringATaskThatIgnoresInterrupts_endsTheActorAfterItsGrace() {
        ActorProxy p = spawn(spec().stopGrace(Duration.ofSeconds(1)));
        startSpin(p, 8, false);
        long t0 = System.nanoTime();
        Pulsar.send(p, "stop").exceptionally(e -> null);
        await().atMost(Duration.ofSeconds(8)).until(() -> exits.stream().anyMatch(e -> e.aid().equals(p.aid())));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        ActorExit exit = exits.stream().filter(e -> e.aid().equals(p.aid())).findFirst().orElseThrow();
        assertThat(ms).as("%s", exit).isLessThan(8000);
        assertThat(Pulsar.arbiter().actors()).extracting(ActorProxy::aid).doesNotContain(p.aid());
    }

    @Test
    void theRequestLoop_mayBlockOnAReply_andGetActorIsTheActorThere() {
        ActorProxy p = spawn(spec());
        Object reply = p.run((actor, args) -> {
            CompletableFuture<Object> f = new CompletableFuture<>();
            actor.loop().execute(() -> {
                try {
                    Object pong = Pulsar.send("arbiter", "ping").get(10, TimeUnit.SECONDS); // blocks: allowed here
                    Thread.sleep(50);
                    f.complete(List.of(pong, Pulsar.getActor() == actor, actor.loop().inLoop(), actor.ioLoop().inLoop()));
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(reply).isEqualTo(List.of("PONG", true, true, false));
    }

    @Test
    void blockingOnTheIoLoop_stillFailsAtOnce() {
        ActorProxy p = spawn(spec());
        Object reply = p.run((actor, args) -> {
            try {
                return Pulsar.send("arbiter", "ping").join();
            } catch (IllegalStateException e) {
                return "refused: " + e.getMessage();
            }
        }).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat((String) reply).startsWith("refused: ").contains("event loop");
    }
}
