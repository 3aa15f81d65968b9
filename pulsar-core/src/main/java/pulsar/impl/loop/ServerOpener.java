package pulsar.impl.loop;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.concurrent.CompletableFuture;
import pulsar.ServerOptions;

/**
 * {@link pulsar.EventLoop#createServer}: a TCP server on one loop, with {@link ServerOptions}; and
 * {@link EventLoopImpl#serve}, for a listening socket received from another process.
 */
final class ServerOpener {
    private ServerOpener() {
    }

    /** Binds a server whose accepted connections are served on {@code loop} too. */
    static CompletableFuture<Channel> open(EventLoopImpl loop, InetSocketAddress address, ServerOptions options,
            ChannelInitializer<Channel> initializer) {
        ServerBootstrap b = bootstrap(loop, initializer, true)
                .channel(loop.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true);
        if (options.backlog() > 0) {
            b.option(ChannelOption.SO_BACKLOG, options.backlog());
        }
        ChannelOption<Boolean> reusePort = null;
        if (options.reusePort()) {
            reusePort = loop.usesEpoll() ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
            b.option(reusePort, true);
        }
        ChannelOption<Boolean> checked = reusePort;
        CompletableFuture<Channel> result = LoopThreads.newFuture();
        ChannelFuture bind = b.bind(address);
        loop.ownChannels().add(bind.channel());
        bind.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(bindFailure(address, options, f.cause()));
                return;
            }
            Channel server = bind.channel();
            // NIO ignores an option the JDK channel does not support (Netty logs a warning): say so
            if (checked != null && !Boolean.TRUE.equals(server.config().getOption(checked))) {
                server.close();
                result.completeExceptionally(new UnsupportedOperationException("cannot open a server on " + address
                        + " with " + options + ": the " + (loop.usesEpoll() ? "epoll" : "NIO")
                        + " transport does not support SO_REUSEPORT on this platform"));
                return;
            }
            result.complete(server);
        });
        return result;
    }

    /**
     * Serves {@code listening}, a socket that listens already (a duplicate received from another
     * process), as {@link #open} serves its own: connections accepted and served on {@code loop}.
     */
    static CompletableFuture<Channel> serve(EventLoopImpl loop, ServerChannel listening, ChannelInitializer<Channel> initializer) {
        ChannelFuture registered = bootstrap(loop, initializer, listening instanceof ServerSocketChannel)
                .channelFactory(() -> listening).register();
        loop.ownChannels().add(listening);
        return EventLoopImpl.toFuture(registered);
    }

    /** A server on {@code loop} whose accepted connections {@link EventLoopImpl#stop()} closes; TCP ones without Nagle. */
    private static ServerBootstrap bootstrap(EventLoopImpl loop, ChannelInitializer<Channel> initializer, boolean tcp) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.netty(), loop.netty())
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
                        loop.ownChannels().add((Channel) accepted); // closed by stop()
                        ctx.fireChannelRead(accepted);
                    }
                })
                .childHandler(initializer);
        return tcp ? b.childOption(ChannelOption.TCP_NODELAY, true) : b;
    }

    /** A {@link BindException} that names the address and options, and says how to share a port. */
    private static Throwable bindFailure(InetSocketAddress address, ServerOptions options, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        boolean inUse = message.contains("Address already in use");
        if (!inUse && !(cause instanceof BindException)) {
            return cause;
        }
        String hint = !inUse ? ""
                : options.reusePort() ? ": the socket bound there does not set SO_REUSEPORT; every server sharing"
                        + " a port must set it (ServerOptions.withReusePort(true))"
                : ": another socket holds that port; to share it, open every server on it with"
                        + " ServerOptions.withReusePort(true)";
        BindException e = new BindException("cannot open a server on " + address + " with " + options + ": "
                + message + hint);
        e.initCause(cause);
        return e;
    }
}
