package pulsar.impl.socket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import pulsar.EventLoop;
import pulsar.ServerOptions;
import pulsar.app.ServerBinding;
import pulsar.impl.loop.EventLoopImpl;

/**
 * Opens the listening sockets of a server on its loop: TCP through {@link EventLoop#createServer}
 * with {@code SO_REUSEPORT} (so that every worker binds the same port), Unix sockets with Netty's
 * epoll domain socket channel; or, for {@link SharedListeners}, once, on the monitor's loop.
 * Failures are one {@link BindException} line naming the address.
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
        } else if (!epoll(loop)) {
            bound = CompletableFuture.failedFuture(new BindException("cannot bind " + binding
                    + ": Unix sockets need the epoll transport (Linux, without -Dpulsar.nio=true)"));
        } else {
            bound = EventLoopImpl.toFuture(epollServer(loop, EpollServerDomainSocketChannel.class, backlog).childHandler(initializer).bind(address));
        }
        return bound.exceptionallyCompose(e -> CompletableFuture.failedFuture(bindFailure(binding, e)));
    }

    /**
     * Binds a listening socket for the monitor to share with its workers: never read here (auto-read
     * off), so this loop accepts nothing on it and wakes for none of its connections.
     */
    static CompletableFuture<Channel> bindShared(EventLoop loop, ServerBinding binding, java.net.SocketAddress address,
            int backlog) {
        ServerBootstrap b = epollServer(loop, binding.isUnix() ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class,
                backlog).option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter()); // required by the bootstrap; nothing is accepted here
        if (!binding.isUnix()) {
            b.option(ChannelOption.SO_REUSEADDR, true); // bound again at once after a stop, despite TIME_WAIT
        }
        return EventLoopImpl.toFuture(b.bind(address)).exceptionallyCompose(e -> CompletableFuture.failedFuture(bindFailure(binding, e)));
    }

    /**
     * Binds the {@code bindings} one after another, {@code bind} opening each from its prepared
     * {@code inputs} entry; on a failure closes those bound and fails.
     *
     * @return completes with the listening channels, in the order of {@code bindings}
     */
    static <A> CompletableFuture<List<Channel>> bindAll(List<ServerBinding> bindings, List<A> inputs,
            BiFunction<ServerBinding, A, CompletableFuture<Channel>> bind) {
        List<Channel> bound = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < bindings.size(); i++) {
            ServerBinding binding = bindings.get(i);
            A input = inputs.get(i);
            chain = chain.thenCompose(v -> bind.apply(binding, input)).thenAccept(bound::add);
        }
        return chain.handle((v, e) -> {
            if (e != null) {
                bound.forEach(Channel::close);
                throw e instanceof CompletionException c ? c : new CompletionException(e);
            }
            return bound;
        });
    }

    /** {@code binding} with the port {@code listener} got, for port 0. */
    static ServerBinding address(ServerBinding binding, Channel listener) {
        return listener.localAddress() instanceof InetSocketAddress inet ? binding.withPort(inet.getPort()) : binding;
    }

    /** Whether {@code loop} runs on the epoll transport, which Unix sockets and shared listeners need. */
    static boolean epoll(EventLoop loop) {
        return loop.netty() instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
    }

    private static ServerBootstrap epollServer(EventLoop loop, Class<? extends ServerChannel> type, int backlog) {
        ServerBootstrap b = new ServerBootstrap().group(loop.netty(), loop.netty()).channel(type);
        return backlog > 0 ? b.option(ChannelOption.SO_BACKLOG, backlog) : b;
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
