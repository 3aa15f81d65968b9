package pulsar.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.runtime.PulsarRuntime;

/**
 * Benchmark 2: sequential {@code ping} round trips from the arbiter to a thread actor over the
 * socket, p50/p99, against a raw Netty ping-pong (client and server on two epoll loops of this
 * JVM, same bytes as redis-cli's PING) in the same run.
 *
 * <p>{@code Pulsar.send} to an actor of this JVM skips the socket (the DESIGN's in-JVM
 * shortcut, also for addresses of local actors), so the socket path is forced with the
 * implementation class {@code ClientPool.send(address, MailboxConfig.of(settings), "ping")}:
 * exactly what {@code Pulsar.send} does for an actor in another JVM. It is called from code on
 * the arbiter's loop (each reply's callback sends the next ping), so the connection is the
 * arbiter's own and replies complete on its loop without a thread hop. A second Pulsar row
 * calls it from a plain thread with {@code join()} (the connection then lives on the shared
 * client loop: one more thread hop each way).
 */
public final class SocketPingBench {
    private SocketPingBench() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Bench.intSetting("warmup", 20_000);
        int total = Bench.intSetting("calls", 100_000);
        int rounds = Bench.intSetting("rounds", 3);
        Bench.machine();
        Settings settings = Bench.settings();
        Bench.startArbiter(settings);
        ActorProxy actor = Pulsar.spawn(Spawn.thread().name("pong")).join();
        InetSocketAddress address = actor.address();
        EventLoop arbiterLoop = Pulsar.arbiter().loop();
        Object[] none = new Object[0];

        EventLoopGroup serverGroup = RawNetty.group("raw-server");
        EventLoopGroup clientGroup = RawNetty.group("raw-client");
        Channel server = RawNetty.server(serverGroup, 0);
        InetSocketAddress rawAddress = (InetSocketAddress) server.localAddress();

        List<double[]> raw = new ArrayList<>();
        List<double[]> onLoop = new ArrayList<>();
        List<double[]> blocking = new ArrayList<>();
        // Each round alternates the sides in `chunks` slices, so that both meet the same machine
        // state (on this VM, thread wake-ups switch between ~15 us and ~50 us regimes over seconds).
        int chunks = Bench.intSetting("chunks", 10);
        int slice = Math.max(1, total / chunks);
        int sliceWarmup = Math.min(1000, warmup);
        for (int r = 0; r < rounds; r++) {
            List<RawNetty.Run> ra = new ArrayList<>();
            List<RawNetty.Run> rb = new ArrayList<>();
            List<RawNetty.Run> rc = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int w = r == 0 && c == 0 ? warmup : sliceWarmup;
                ra.add(RawNetty.client(clientGroup, rawAddress, new RawNetty.Run(w, slice, 1)).join());
                rb.add(PulsarPinger.start(arbiterLoop,
                        () -> PulsarRuntime.get().dispatcher().sendBySocket(address, "ping", none), new RawNetty.Run(w, slice, 1)).join());
                rc.add(blockingRun(address, w, slice));
            }
            raw.add(stats("raw Netty", r, RawNetty.Run.merged(ra)));
            onLoop.add(stats("pulsar, arbiter loop", r, RawNetty.Run.merged(rb)));
            blocking.add(stats("pulsar, thread+join", r, RawNetty.Run.merged(rc)));
        }
        double rawP50 = med(raw, 0);
        double rawP99 = med(raw, 1);
        String b = "2 socket ping, thread actor";
        Bench.result(b, "p50 round trip (arbiter loop)", "us", med(onLoop, 0), "raw Netty", rawP50, true, 1.3);
        Bench.result(b, "p99 round trip (arbiter loop)", "us", med(onLoop, 1), "raw Netty", rawP99, true, 0);
        Bench.result(b, "p10 round trip (arbiter loop)", "us", med(onLoop, 3), "raw Netty", med(raw, 3), true, 0);
        Bench.result(b, "p50 round trip (thread, join)", "us", med(blocking, 0), "raw Netty", rawP50, true, 0);
        Bench.result(b, "p99 round trip (thread, join)", "us", med(blocking, 1), "raw Netty", rawP99, true, 0);
        Bench.result(b, "sequential calls/s (arbiter loop)", "1/s", med(onLoop, 2), "raw Netty", med(raw, 2), false, 0);

        clientGroup.shutdownGracefully().sync();
        server.close().sync();
        serverGroup.shutdownGracefully().sync();
        Pulsar.arbiter().stop().join();
        System.exit(0);
    }

    private static RawNetty.Run blockingRun(InetSocketAddress address, int warmup, int total) {
        RawNetty.Run run = new RawNetty.Run(warmup, total, 1);
        Object[] none = new Object[0];
        for (int i = 0; i < warmup; i++) {
            PulsarRuntime.get().dispatcher().sendBySocket(address, "ping", none).join();
        }
        run.startNanos = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long t0 = System.nanoTime();
            PulsarRuntime.get().dispatcher().sendBySocket(address, "ping", none).join();
            run.samples[i] = System.nanoTime() - t0;
        }
        run.endNanos = System.nanoTime();
        return run;
    }

    private static double[] stats(String side, int round, RawNetty.Run run) {
        double p50 = Bench.percentileMicros(run.samples, 50);
        double p99 = Bench.percentileMicros(run.samples, 99);
        Bench.log("round %d %s: p10 %.1f p25 %.1f p50 %.1f p75 %.1f p90 %.1f p99 %.1f p99.9 %.1f us", round, side,
                Bench.percentileMicros(run.samples, 10), Bench.percentileMicros(run.samples, 25), p50,
                Bench.percentileMicros(run.samples, 75), Bench.percentileMicros(run.samples, 90), p99,
                Bench.percentileMicros(run.samples, 99.9));
        double rate = run.perSecond();
        Bench.log("round %d %-22s p50 %7.1f us  p99 %7.1f us  %,9.0f calls/s", round, side, p50, p99, rate);
        return new double[] {p50, p99, rate, Bench.percentileMicros(run.samples, 10)};
    }

    private static double med(List<double[]> rows, int column) {
        return Bench.median(rows.stream().mapToDouble(r -> r[column]).toArray());
    }
}
