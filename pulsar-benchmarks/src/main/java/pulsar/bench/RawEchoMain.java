package pulsar.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

/**
 * The reference of benchmark 9: a raw Netty echo server with LOOPS event loops on PORT, in a JVM
 * of its own, as a hand-written server would be. Prints "ready" once it listens.
 */
public final class RawEchoMain {
    private RawEchoMain() {
    }

    /** Args: PORT LOOPS. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = Integer.parseInt(args[1]);
        EventLoopGroup boss = RawNetty.group("raw-echo-boss");
        EventLoopGroup workers = RawNetty.epoll()
                ? new io.netty.channel.MultiThreadIoEventLoopGroup(loops, io.netty.channel.epoll.EpollIoHandler.newFactory())
                : new io.netty.channel.MultiThreadIoEventLoopGroup(loops, io.netty.channel.nio.NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(boss, workers).channel(RawNetty.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Echo.INSTANCE);
                    }
                }).bind("127.0.0.1", port).sync().channel();
        System.out.println("ready");
        System.out.flush();
        server.closeFuture().sync();
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
