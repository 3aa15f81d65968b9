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
        ActorProxy actor = Pulsar.spawn(Spawn.process().name("pong")).join();
        long pid = Jvms.pid(actor);
        List<String> options = Jvms.jvmOptions(Jvms.commandLine(pid));
        Bench.log("process actor pid %d, JVM options: %s", pid, String.join(" ", options));
        EventLoop arbiterLoop = Pulsar.arbiter().loop();
        EventLoopGroup clientGroup = RawNetty.group("raw-client");

        List<double[]> rawSeq = new ArrayList<>();
        List<double[]> pulsarSeq = new ArrayList<>();
        double[] rawPipe = new double[rounds];
        double[] pulsarPipe = new double[rounds];
        try (Jvms.Ready server = Jvms.Ready.launch(Jvms.command(options, "NettyReadyMain"))) {
            InetSocketAddress rawAddress = new InetSocketAddress("127.0.0.1", server.port());
            Bench.log("raw Netty server pid %d port %d", server.process.pid(), server.port());
            for (int r = 0; r < rounds; r++) {
                RawNetty.Run a = RawNetty.client(clientGroup, rawAddress, new RawNetty.Run(warmup, calls, 1)).join();
                rawSeq.add(stats("raw Netty", r, a));
                RawNetty.Run b = PulsarPinger.start(arbiterLoop, () -> Pulsar.send(actor, "ping"), new RawNetty.Run(warmup, calls, 1)).join();
                pulsarSeq.add(stats("pulsar", r, b));
            }
            for (int r = 0; r < rounds; r++) {
                RawNetty.Run a = RawNetty.client(clientGroup, rawAddress, new RawNetty.Run(pipelined / 5, pipelined, window)).join();
                rawPipe[r] = a.perSecond();
                RawNetty.Run b = PulsarPinger.start(arbiterLoop, () -> Pulsar.send(actor, "ping"),
                        new RawNetty.Run(pipelined / 5, pipelined, window)).join();
                pulsarPipe[r] = b.perSecond();
                Bench.log("round %d pipelined (%d outstanding): raw Netty %,.0f msgs/s   pulsar %,.0f msgs/s", r, window, rawPipe[r], pulsarPipe[r]);
            }
        }
        String b = "7 arbiter -> process actor";
        Bench.result(b, "p50 round trip", "us", med(pulsarSeq, 0), "raw Netty, 2 JVMs", med(rawSeq, 0), true, 1.3);
        Bench.result(b, "p99 round trip", "us", med(pulsarSeq, 1), "raw Netty, 2 JVMs", med(rawSeq, 1), true, 0);
        Bench.result(b, "pipelined, " + window + " outstanding", "msg/s", Bench.median(pulsarPipe), "raw Netty, 2 JVMs",
                Bench.median(rawPipe), false, 0.5);
        clientGroup.shutdownGracefully().sync();
        Jvms.stopAndWait(actor, pid);
        Pulsar.arbiter().stop().join();
        System.exit(0);
    }

    private static double[] stats(String side, int round, RawNetty.Run run) {
        double p50 = Bench.percentileMicros(run.samples, 50);
        double p99 = Bench.percentileMicros(run.samples, 99);
        Bench.log("round %d %s: p10 %.1f p25 %.1f p50 %.1f p75 %.1f p90 %.1f p99 %.1f p99.9 %.1f us", round, side,
                Bench.percentileMicros(run.samples, 10), Bench.percentileMicros(run.samples, 25), p50,
                Bench.percentileMicros(run.samples, 75), Bench.percentileMicros(run.samples, 90), p99,
                Bench.percentileMicros(run.samples, 99.9));
        Bench.log("round %d sequential %-10s p50 %7.1f us  p99 %7.1f us  %,9.0f calls/s", round, side, p50, p99, run.perSecond());
        return new double[] {p50, p99, run.perSecond()};
    }

    private static double med(List<double[]> rows, int column) {
        return Bench.median(rows.stream().mapToDouble(r -> r[column]).toArray());
    }
}
