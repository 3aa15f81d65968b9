package pulsar.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.Command;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Benchmark 3: two thread actors of one JVM sending to each other (the in-JVM path of
 * {@code Pulsar.send}), round trips per second, against Apache Pekko's local ping-pong of two
 * actors in the same run, with the same number of requests in flight (1, and 1,000).
 *
 * <p>Pulsar: actor A runs the {@code pp_drive} command (a {@link Command} of this class): it
 * keeps {@code window} {@code ping}s to actor B in flight, sending the next one from each
 * reply's callback on A's loop, until {@code total} replies have arrived. Pekko: actor Pinger
 * keeps {@code window} {@code Ping} messages to Ponger in flight; Ponger answers each with a
 * {@code Pong} to its sender. A round trip is two messages on both sides (request and reply).
 * The same drive runs between two co-located actors ({@code Spawn.thread().colocated()} and
 * {@code onLoopOf}), which share one loop thread (issue 10).
 */
public final class LocalPingPongBench {
    private LocalPingPongBench() {
    }

    public static void main(String[] args) throws Exception {
        int total = Bench.intSetting("messages", 1_000_000);
        int rounds = Bench.intSetting("rounds", 5);
        Bench.machine();
        Bench.startArbiter(Bench.settings());
        Pulsar.registerCommands(LocalPingPongBench.class);
        ActorProxy a = Pulsar.spawn(Spawn.thread().name("pinger")).join();
        ActorProxy b = Pulsar.spawn(Spawn.thread().name("ponger")).join();
        // Two co-located actors on one shared loop (issue 10): a send between them is queued on
        // that loop's thread, with no thread wake-up.
        ActorProxy ca = Pulsar.spawn(Spawn.thread().colocated().name("co-pinger")).join();
        ActorProxy cb = Pulsar.spawn(Spawn.thread().onLoopOf(ca).name("co-ponger")).join();

        Config config = ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING\n"
                + "pekko.log-dead-letters = off\n"
                + "pinned { type = PinnedDispatcher, executor = thread-pool-executor }\n").withFallback(ConfigFactory.load());
        ActorSystem system = ActorSystem.create("bench", config);
        ActorRef ponger = system.actorOf(Props.create(Ponger.class), "ponger");
        ActorRef pinger = system.actorOf(Props.create(Pinger.class, ponger), "pinger");
        // Pekko with one thread per actor, as Pulsar's thread actors have: informative only.
        ActorRef pinnedPonger = system.actorOf(Props.create(Ponger.class).withDispatcher("pinned"), "pinned-ponger");
        ActorRef pinnedPinger = system.actorOf(Props.create(Pinger.class, pinnedPonger).withDispatcher("pinned"), "pinned-pinger");
        // The floor of the thread-per-actor design: two bare Netty epoll loops handing a task to each other.
        io.netty.channel.EventLoopGroup loopA = RawNetty.group("loop-a");
        io.netty.channel.EventLoopGroup loopB = RawNetty.group("loop-b");
        Bench.log("pekko default dispatcher: %s", system.settings().config().getConfig("pekko.actor.default-dispatcher.fork-join-executor").root().render(com.typesafe.config.ConfigRenderOptions.concise()));

        String bench = "3 local ping-pong, 2 thread actors";
        for (int window : new int[] {1, 1000}) {
            int n = window == 1 ? total / 4 : total;
            // one warm-up round of each side, then rounds alternating pulsar/pekko
            pulsarRun(a, b, n / 4, window);
            pulsarRun(ca, cb, n / 4, window);
            pekkoRun(pinger, n / 4, window);
            pekkoRun(pinnedPinger, n / 4, window);
            loopsRun(loopA, loopB, n / 4, window);
            double[] p = new double[rounds];
            double[] k = new double[rounds];
            double[] q = new double[rounds];
            double[] l = new double[rounds];
            double[] c = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                p[r] = pulsarRun(a, b, n, window);
                c[r] = pulsarRun(ca, cb, n, window);
                k[r] = pekkoRun(pinger, n, window);
                q[r] = pekkoRun(pinnedPinger, n, window);
                l[r] = loopsRun(loopA, loopB, n, window);
                Bench.log("window %4d round %d: pulsar %,10.0f   co-located %,10.0f   pekko %,10.0f   pekko pinned %,10.0f   2 Netty loops %,10.0f round trips/s",
                        window, r, p[r], c[r], k[r], q[r], l[r]);
            }
            Bench.result(bench, window + " in flight, round trips/s", "1/s", Bench.median(p), "Pekko", Bench.median(k), false, 1.0);
            Bench.result(bench, window + " in flight, round trips/s", "1/s", Bench.median(p), "Pekko pinned threads",
                    Bench.median(q), false, 0);
            Bench.result(bench, window + " in flight, round trips/s", "1/s", Bench.median(p), "2 Netty loops, execute()",
                    Bench.median(l), false, 0);
            Bench.result("3 local ping-pong, 2 co-located actors", window + " in flight, round trips/s", "1/s", Bench.median(c),
                    "Pekko", Bench.median(k), false, 1.0);
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Pulsar.arbiter().stop().join();
        System.exit(0);
    }

    private static double pulsarRun(ActorProxy a, ActorProxy b, int total, int window) {
        long nanos = ((Number) Pulsar.send(a, "pp_drive", b.aid(), total, window).join()).longValue();
        return total / (nanos / 1e9);
    }

    /** Two bare Netty event loops: A hands a task to B, which hands one back to A; {@code window} in flight. */
    private static double loopsRun(io.netty.channel.EventLoopGroup a, io.netty.channel.EventLoopGroup b, int total, int window) {
        io.netty.channel.EventLoop la = (io.netty.channel.EventLoop) a.next();
        io.netty.channel.EventLoop lb = (io.netty.channel.EventLoop) b.next();
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] state = new long[3]; // sent, received, start (all touched on loop A only)
        Runnable[] ping = new Runnable[1];
        Runnable pong = () -> {
            if (++state[1] == total) {
                done.complete(System.nanoTime() - state[2]);
            } else if (state[0] < total) {
                ping[0].run();
            }
        };
        ping[0] = () -> {
            state[0]++;
            lb.execute(() -> la.execute(pong));
        };
        la.execute(() -> {
            state[2] = System.nanoTime();
            for (int i = 0; i < Math.min(window, total); i++) {
                ping[0].run();
            }
        });
        return total / (done.join() / 1e9);
    }

    private static double pekkoRun(ActorRef pinger, int total, int window) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        pinger.tell(new Start(total, window, done), ActorRef.noSender());
        long nanos = done.get(5, TimeUnit.MINUTES);
        return total / (nanos / 1e9);
    }

    /**
     * Runs on the pinger actor's loop: keeps {@code window} pings to {@code target} in flight
     * until {@code total} replies arrived.
     *
     * @return completes with the elapsed nanoseconds
     */
    @Command("pp_drive")
    public static CompletionStage<Long> drive(Actor actor, String target, long total, long window) {
        Driver d = new Driver(target, total);
        long first = Math.min(window, total);
        for (long i = 0; i < first; i++) {
            d.send();
        }
        return d.done;
    }

    private static final class Driver {
        final String target;
        final long total;
        final long start = System.nanoTime();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        long sent;
        long received;

        Driver(String target, long total) {
            this.target = target;
            this.total = total;
        }

        void send() {
            sent++;
            Pulsar.send(target, "ping").whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                    return;
                }
                if (++received == total) {
                    done.complete(System.nanoTime() - start);
                } else if (sent < total) {
                    send();
                }
            });
        }
    }

    record Start(long total, long window, CompletableFuture<Long> done) {
    }

    enum Ping { INSTANCE }

    enum Pong { INSTANCE }

    /** Answers every Ping with a Pong to its sender. */
    public static final class Ponger extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Ping.class, p -> getSender().tell(Pong.INSTANCE, getSelf())).build();
        }
    }

    /** Keeps {@code window} pings in flight until {@code total} pongs arrived. */
    public static final class Pinger extends AbstractActor {
        private final ActorRef ponger;
        private Start run;
        private long start;
        private long sent;
        private long received;

        public Pinger(ActorRef ponger) {
            this.ponger = ponger;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(Start.class, s -> {
                        run = s;
                        sent = 0;
                        received = 0;
                        start = System.nanoTime();
                        long first = Math.min(s.window(), s.total());
                        for (long i = 0; i < first; i++) {
                            sent++;
                            ponger.tell(Ping.INSTANCE, getSelf());
                        }
                    })
                    .match(Pong.class, p -> {
                        if (++received == run.total()) {
                            run.done().complete(System.nanoTime() - start);
                        } else if (sent < run.total()) {
                            sent++;
                            ponger.tell(Ping.INSTANCE, getSelf());
                        }
                    })
                    .build();
        }
    }
}
