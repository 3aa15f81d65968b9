package pulsar.bench;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Benchmark 7: messaging between two JVMs. Pulsar: {@code Pulsar.send(actor, "ping")} from code
 * on the arbiter's loop to a process actor (another JVM, so always over the socket), each reply's
 * callback sending the next request: sequential round trips (p50/p99) and pipelined sends with
 * {@code window} (1,000) outstanding (messages/s). Reference: a raw Netty client on an epoll
 * loop of this JVM against {@link NettyReadyMain} in a child JVM started with the process
 * actor's own JVM options (read from its command line), same two shapes, in the same run.
 *
 * <p>A second, informative pipelined pair runs both child JVMs with C2 enabled
 * ({@code Spawn.jvmOptions("-XX:TieredStopAtLevel=4", "-XX:CICompilerCount=2")}, which override
 * the C1-only default {@code jvm_options}), to show what the C1-only default costs.
 */
public final class ProcessMessagingBench {
    private ProcessMessagingBench() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Bench.intSetting("warmup", 20_000);
        int calls = Bench.intSetting("calls", 100_000);
        int pipelined = Bench.intSetting("pipelined", 1_000_000);
        int window = Bench.intSetting("window", 1000);
        int rounds = Bench.intSetting("rounds", 3);
        Bench.machine();
        Bench.startArbiter(Bench.settings().withAotCache("off"));
        EventLoopGroup clientGroup = RawNetty.group("raw-client");
        String b = "7 arbiter -> process actor";

        Pair defaults = new Pair(Spawn.process().name("pong"), clientGroup);
        try {
            List<double[]> rawSeq = new ArrayList<>();
            List<double[]> pulsarSeq = new ArrayList<>();
            defaults.sequential(rounds, warmup, calls, rawSeq, pulsarSeq, "");
            double[][] pipe = defaults.pipelined(rounds, pipelined, window, "default options");
            // Goals of issue 10: p10 and p50 <= 1.2x, pipelined >= 0.6x raw Netty.
            Bench.result(b, "p50 round trip", "us", med(pulsarSeq, 0), "raw Netty, 2 JVMs", med(rawSeq, 0), true, 1.2);
            Bench.result(b, "p99 round trip", "us", med(pulsarSeq, 1), "raw Netty, 2 JVMs", med(rawSeq, 1), true, 0);
            Bench.result(b, "p10 round trip", "us", med(pulsarSeq, 3), "raw Netty, 2 JVMs", med(rawSeq, 3), true, 1.2);
            Bench.result(b, "pipelined, " + window + " outstanding", "msg/s", Bench.median(pipe[1]), "raw Netty, 2 JVMs",
                    Bench.median(pipe[0]), false, 0.6);
        } finally {
            defaults.close();
        }

        Pair c2 = new Pair(Spawn.process().name("pong-c2").jvmOptions("-XX:TieredStopAtLevel=4", "-XX:CICompilerCount=2"), clientGroup);
        try {
            List<double[]> rawSeq = new ArrayList<>();
            List<double[]> pulsarSeq = new ArrayList<>();
            c2.sequential(rounds, warmup, calls, rawSeq, pulsarSeq, ", C2");
            Bench.result(b, "p50 round trip, children with C2", "us", med(pulsarSeq, 0), "raw Netty, 2 JVMs, C2", med(rawSeq, 0), true, 1.2);
            Bench.result(b, "p10 round trip, children with C2", "us", med(pulsarSeq, 3), "raw Netty, 2 JVMs, C2", med(rawSeq, 3), true, 1.2);
            double[][] pipe = c2.pipelined(rounds, pipelined, window, "children with C2");
            Bench.result(b, "pipelined, " + window + " outstanding, children with C2", "msg/s", Bench.median(pipe[1]),
                    "raw Netty, 2 JVMs, C2", Bench.median(pipe[0]), false, 0.6);
        } finally {
            c2.close();
        }
        clientGroup.shutdownGracefully().sync();
        Pulsar.arbiter().stop().join();
        System.exit(0);
    }

    /** A process actor and a raw Netty server JVM started with the actor's JVM options. */
    private static final class Pair implements AutoCloseable {
        final ActorProxy actor;
        final long pid;
        final Jvms.Ready server;
        final InetSocketAddress raw;
        final EventLoopGroup clientGroup;
        final EventLoop arbiterLoop = Pulsar.arbiter().loop();

        Pair(Spawn spec, EventLoopGroup clientGroup) throws Exception {
            this.clientGroup = clientGroup;
            actor = Pulsar.spawn(spec).join();
            pid = Jvms.pid(actor);
            List<String> options = Jvms.jvmOptions(Jvms.commandLine(pid));
            Bench.log("process actor pid %d, JVM options: %s", pid, String.join(" ", options));
            server = Jvms.Ready.launch(Jvms.command(options, "NettyReadyMain"));
            raw = new InetSocketAddress("127.0.0.1", server.port());
            Bench.log("raw Netty server pid %d port %d, same options", server.process.pid(), server.port());
        }

        RawNetty.Run pulsar(RawNetty.Run run) {
            return PulsarPinger.start(arbiterLoop, () -> Pulsar.send(actor, "ping"), run).join();
        }

        /**
         * Sequential round trips, {@code rounds} rounds; each alternates the sides in
         * {@code chunks} slices, so that both meet the same machine state (on this VM, thread
         * wake-ups switch between ~15 us and ~50 us regimes over seconds).
         */
        void sequential(int rounds, int warmup, int calls, List<double[]> rawSeq, List<double[]> pulsarSeq, String label) {
            int chunks = Bench.intSetting("chunks", 10);
            int slice = Math.max(1, calls / chunks);
            for (int r = 0; r < rounds; r++) {
                List<RawNetty.Run> ra = new ArrayList<>();
                List<RawNetty.Run> pa = new ArrayList<>();
                for (int c = 0; c < chunks; c++) {
                    int w = r == 0 && c == 0 ? warmup : Math.min(1000, warmup);
                    ra.add(RawNetty.client(clientGroup, raw, new RawNetty.Run(w, slice, 1)).join());
                    pa.add(pulsar(new RawNetty.Run(w, slice, 1)));
                }
                rawSeq.add(stats("raw Netty" + label, r, RawNetty.Run.merged(ra)));
                pulsarSeq.add(stats("pulsar" + label, r, RawNetty.Run.merged(pa)));
            }
        }

        /** {@code [raw msgs/s per round, pulsar msgs/s per round]}. */
        double[][] pipelined(int rounds, int total, int window, String label) {
            double[] r0 = new double[rounds];
            double[] p0 = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                r0[r] = RawNetty.client(clientGroup, raw, new RawNetty.Run(total / 5, total, window)).join().perSecond();
                p0[r] = pulsar(new RawNetty.Run(total / 5, total, window)).perSecond();
                Bench.log("round %d pipelined (%d outstanding, %s): raw Netty %,.0f msgs/s   pulsar %,.0f msgs/s",
                        r, window, label, r0[r], p0[r]);
            }
            return new double[][] {r0, p0};
        }

        @Override
        public void close() {
            server.close();
            Jvms.stopAndWait(actor, pid);
        }
    }

    private static double[] stats(String side, int round, RawNetty.Run run) {
        double p50 = Bench.percentileMicros(run.samples, 50);
        double p99 = Bench.percentileMicros(run.samples, 99);
        Bench.log("round %d sequential %-14s p10 %.1f p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f us  %,9.0f calls/s", round, side,
                Bench.percentileMicros(run.samples, 10), p50, Bench.percentileMicros(run.samples, 90), p99,
                Bench.percentileMicros(run.samples, 99.9), run.perSecond());
        return new double[] {p50, p99, run.perSecond(), Bench.percentileMicros(run.samples, 10)};
    }

    private static double med(List<double[]> rows, int column) {
        return Bench.median(rows.stream().mapToDouble(r -> r[column]).toArray());
    }
}
