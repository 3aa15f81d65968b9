package pulsar.impl.loop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** {@link pulsar.EventLoop#createServer}: a TCP server on one loop. */
final class ServerOpener {
    private ServerOpener() {
    }

    /** Binds a server whose accepted connections are served on {@code loop} too. */
    static CompletableFuture<Channel> open(EventLoopImpl loop, InetSocketAddress address,
            ChannelInitializer<Channel> initializer) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.netty(), loop.netty())
                .channel(loop.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                        loop.ownChannels().add((Channel) accepted); // closed by stop()
                        ctx.fireChannelRead(accepted);
                    }
                })
                .childHandler(initializer);
        CompletableFuture<Channel> result = LoopThreads.newFuture();
        ChannelFuture bind = b.bind(address);
        loop.ownChannels().add(bind.channel());
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Channel server = bind.channel();
            result.complete(server);
        });
        return result;
    }
}
