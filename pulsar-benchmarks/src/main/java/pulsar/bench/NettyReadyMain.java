package pulsar.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;

/**
 * Reference of benchmarks 5-7: a minimal main that starts Netty (one event loop on the same
 * transport as the actors), opens a server socket on 127.0.0.1 that answers pings with pongs,
 * reports ready ({@code ready <port>} on standard output) and serves until standard input
 * closes. Benchmark 7 uses it as the raw Netty server in another JVM.
 */
public final class NettyReadyMain {
    private NettyReadyMain() {
    }

    public static void main(String[] args) throws Exception {
        EventLoopGroup group = RawNetty.group("raw-server");
        Channel server = RawNetty.server(group, 0);
        System.out.println("ready " + ((java.net.InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the parent closes our input
        }
        server.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
