package pulsar.impl.socket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import pulsar.EventLoop;
import pulsar.ServerOptions;
import pulsar.app.ServerBinding;

/**
 * Opens the listening sockets of a server on its loop: TCP through {@link EventLoop#createServer}
 * with {@code SO_REUSEPORT} (so that every worker binds the same port), Unix sockets with Netty's
 * epoll domain socket channel. Failures are one {@link BindException} line naming the address.
 */
final class Listeners {
    private Listeners() {
    }

    /**
     * Blocking preparation, off the loop: resolves a host name, removes a stale Unix socket file.
     *
     * @return the socket address to bind
     */
    static java.net.SocketAddress resolve(ServerBinding binding) throws IOException {
        if (binding.isUnix()) {
            removeStaleSocket(binding);
            return new DomainSocketAddress(binding.path().toFile());
        }
        InetSocketAddress address = new InetSocketAddress(binding.host(), binding.port());
        if (address.isUnresolved()) {
            throw new BindException("cannot bind " + binding + ": unknown host '" + binding.host() + "'");
        }
        return address;
    }

    /** Binds on {@code loop}; completes on the loop with the listening channel. */
    static CompletableFuture<Channel> bind(EventLoop loop, ServerBinding binding, java.net.SocketAddress address,
            int backlog, ConnectionInitializer initializer) {
        CompletableFuture<Channel> bound;
        if (address instanceof InetSocketAddress inet) {
            ServerOptions options = ServerOptions.defaults().withReusePort(true).withBacklog(backlog);
            bound = loop.createServer(inet, options, initializer);
        } else {
            bound = bindUnix(loop, binding, address, backlog, initializer);
        }
        return bound.exceptionallyCompose(e -> CompletableFuture.failedFuture(bindFailure(binding, e)));
    }

    private static CompletableFuture<Channel> bindUnix(EventLoop loop, ServerBinding binding,
            java.net.SocketAddress address, int backlog, ConnectionInitializer initializer) {
        if (!(loop.netty() instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class))) {
            return CompletableFuture.failedFuture(new BindException("cannot bind " + binding
                    + ": Unix sockets need the epoll transport (Linux, without -Dpulsar.nio=true)"));
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.netty(), loop.netty())
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(initializer);
        if (backlog > 0) {
            b.option(ChannelOption.SO_BACKLOG, backlog);
        }
        CompletableFuture<Channel> result = new CompletableFuture<>();
        ChannelFuture f = b.bind(address);
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(f.channel());
            } else {
                result.completeExceptionally(done.cause());
            }
        });
        return result;
    }

    /**
     * A socket file left by a server that died is removed; one a live server answers on is kept (the
     * bind then fails: Unix sockets cannot be shared the way {@code SO_REUSEPORT} shares a port).
     */
    private static void removeStaleSocket(ServerBinding binding) throws IOException {
        Path path = binding.path();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new BindException("cannot bind " + binding + ": " + path + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException stale) {
            Files.deleteIfExists(path);
            return;
        }
        throw new BindException("cannot bind " + binding + ": a server listens there already (a Unix socket"
                + " cannot be shared by several workers; give each its own path)");
    }

    private static Throwable bindFailure(ServerBinding binding, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        String message = String.valueOf(cause.getMessage());
        if (message.startsWith("cannot bind " + binding)) {
            return cause;
        }
        BindException failure = new BindException("cannot bind " + binding + ": " + message);
        failure.initCause(cause);
        return failure;
    }
}
