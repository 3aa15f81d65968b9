package pulsar.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.app.Monitor;
import pulsar.app.SocketServerApplication;

/**
 * Benchmark 9: the echo application ({@code pulsar run echo}: process workers sharing a port)
 * against a raw Netty echo server with as many event loops, in a JVM of its own with the same
 * JVM options; 64-byte messages, one in flight per connection, 10 and 100 connections, 1 and 2
 * workers. The client is a Netty client in this JVM. Sides alternate, ROUNDS each, median kept.
 */
public final class EchoBench {
    private static final int SIZE = 64;

    private EchoBench() {
    }

    public static void main(String[] args) throws Exception {
        Bench.machine();
        int seconds = Bench.intSetting("echo_seconds", 5);
        int rounds = Bench.intSetting("echo_rounds", 2);
        Settings settings = Bench.settings();
        Bench.startArbiter(settings);
        EventLoopGroup clients = RawNetty.group("echo-client");
        for (int workers : new int[] {1, 2}) {
            int pulsarPort = freePort();
            Monitor m = Pulsar.arbiter().add(SocketServerApplication.echo().setting("bind", "127.0.0.1:" + pulsarPort)
                    .setting("workers", workers)).get(120, TimeUnit.SECONDS);
            int rawPort = freePort();
            Process raw = startRaw(settings, rawPort, workers);
            try {
                for (int connections : new int[] {10, 100}) {
                    double[] p = new double[rounds];
                    double[] r = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        p[i] = load(clients, pulsarPort, connections, seconds);
                        r[i] = load(clients, rawPort, connections, seconds);
                        Bench.log("workers %d, %d connections, round %d: pulsar %.0f/s, raw Netty %.0f/s", workers, connections, i + 1, p[i], r[i]);
                    }
                    Bench.result("9 echo, " + workers + " worker" + (workers > 1 ? "s" : ""), connections + " connections, round trips/s", "1/s",
                            Bench.median(p), "raw Netty, " + workers + " loop" + (workers > 1 ? "s" : ""), Bench.median(r), false, 0.9);
                }
            } finally {
                raw.destroy();
                raw.waitFor(10, TimeUnit.SECONDS);
                m.stop().get(60, TimeUnit.SECONDS);
            }
        }
        clients.shutdownGracefully().sync();
        Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        System.exit(0);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The raw Netty echo server in a child JVM with the options Pulsar gives its workers. */
    private static Process startRaw(Settings settings, int port, int loops) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String options = Bench.workerJvmOptions(settings);
        for (String o : options.split("\\s+")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RawEchoMain.class.getName(), Integer.toString(port), Integer.toString(loops)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            Bench.log("raw echo: %s", line);
        }
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) {
                    // drain
                }
            } catch (Exception ignored) {
                // gone
            }
        });
        return p;
    }

    /** Round trips per second over {@code seconds}, after a second of warm-up. */
    private static double load(EventLoopGroup group, int port, int connections, int seconds) throws Exception {
        AtomicLong count = new AtomicLong();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(new Bootstrap().group(group).channel(RawNetty.channel()).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Client(count));
                }
            }).connect("127.0.0.1", port).sync().channel());
        }
        Thread.sleep(1000);
        long start = count.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = count.get() - start;
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        for (Channel c : channels) {
            c.close().sync();
        }
        return rate;
    }

    /** Sends 64 bytes, waits for all 64 back, sends again. */
    private static final class Client extends ChannelInboundHandlerAdapter {
        private static final ByteBuf MESSAGE = Unpooled.unreleasableBuffer(Unpooled.directBuffer(SIZE).writeZero(SIZE));
        private final AtomicLong count;
        private int received;

        Client(AtomicLong count) {
            this.count = count;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MESSAGE.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            received += b.readableBytes();
            b.release();
            while (received >= SIZE) {
                received -= SIZE;
                count.incrementAndGet();
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(MESSAGE.duplicate(), ctx.voidPromise());
                }
            }
        }
    }
}
