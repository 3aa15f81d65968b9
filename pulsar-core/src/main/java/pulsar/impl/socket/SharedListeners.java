package pulsar.impl.socket;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.EventLoop;
import pulsar.app.ServerBinding;
import pulsar.app.SocketServerConfig;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.LoopThreads;

/**
 * The listening sockets of an application whose workers share them ({@code reuse_port=false}), as
 * gunicorn's master holds them: the monitor binds each address once, on its loop, never accepts
 * on it, and hands each worker a duplicate of every listening socket (SCM_RIGHTS) over a Unix
 * socket in a directory of its own that only this user may enter. A worker that closes its
 * duplicates (it stops, is killed, is replaced) closes nothing else, so no connection waiting in
 * the accept queue is lost with it.
 */
public final class SharedListeners {
    private static final Logger LOG = LoggerFactory.getLogger(SharedListeners.class);
    private static final String SOCKET = "listeners.sock";

    private final EventLoop loop;
    private final Path dir;
    private final List<Channel> listeners;
    private final List<ServerBinding> addresses;
    private Channel handout; // on the loop
    private boolean closed;  // on the loop

    private SharedListeners(EventLoop loop, Path dir, List<Channel> listeners, List<ServerBinding> bindings) {
        this.loop = loop;
        this.dir = dir;
        this.listeners = listeners;
        List<ServerBinding> real = new ArrayList<>();
        for (int i = 0; i < bindings.size(); i++) {
            real.add(Listeners.address(bindings.get(i), listeners.get(i)));
        }
        this.addresses = List.copyOf(real);
    }

    /**
     * Binds every address of {@code config.bind()} on {@code loop} (its backlog too), and serves
     * their duplicates at {@link #path()}.
     *
     * @return completes, on the loop, once all are bound; fails with one line when the loop is not
     *     on the epoll transport, or naming the address that cannot be bound (nothing stays open)
     */
    public static CompletableFuture<SharedListeners> open(EventLoop loop, SocketServerConfig config) {
        if (!Listeners.epoll(loop)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "reuse_port=false needs the epoll transport (Linux, without -Dpulsar.nio=true)"));
        }
        List<ServerBinding> bindings = config.bind();
        record Prepared(List<SocketAddress> addresses, Path dir) {
        }
        return loop.runInExecutor(() -> {
            List<SocketAddress> resolved = new ArrayList<>();
            for (ServerBinding b : bindings) {
                resolved.add(Listeners.resolve(b));
            }
            Path dir = Files.createTempDirectory("pulsar-listeners-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit(); // when the JVM exits without a stop; the file first (reverse order)
            dir.resolve(SOCKET).toFile().deleteOnExit();
            return new Prepared(resolved, dir);
        }).thenCompose(p -> Listeners.bindAll(bindings, p.addresses(),
                        (b, address) -> Listeners.bindShared(loop, b, address, config.backlog()))
                .thenCompose(bound -> {
                    SharedListeners shared = new SharedListeners(loop, p.dir(), bound, bindings);
                    return shared.serveHandout();
                })
                .whenComplete((s, e) -> {
                    if (e != null) {
                        deleteQuietly(p.dir());
                    }
                }));
    }

    private CompletableFuture<SharedListeners> serveHandout() {
        ServerBootstrap b = new ServerBootstrap().group(loop.netty(), loop.netty())
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new Handout());
        return EventLoopImpl.toFuture(b.bind(new DomainSocketAddress(path().toFile()))).handle((channel, e) -> {
            if (e != null) {
                listeners.forEach(Channel::close);
                throw new IllegalStateException("cannot serve the listening sockets at " + path() + ": " + e.getMessage(), e);
            }
            handout = channel;
            LOG.info("listening on {} for the workers, which take their sockets from {}", addresses, path());
            return this;
        });
    }

    /** The Unix socket where workers take their duplicates. */
    public Path path() {
        return dir.resolve(SOCKET);
    }

    /** The addresses, with the ports they got (for port 0), in the order of {@code bind}. */
    public List<ServerBinding> addresses() {
        return addresses;
    }

    /**
     * Closes the monitor's listening sockets and the Unix socket, and removes its directory; the
     * sockets themselves close when the last worker has closed its duplicates. Any thread; again
     * does nothing.
     */
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        listeners.forEach(Channel::close);
        handout.close().addListener(f -> deleteQuietly(dir)); // the channel deletes its socket file
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(SOCKET));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    /** Writes the duplicates to each worker that connects, in the order of {@code bind}, then closes. */
    @Sharable
    private final class Handout extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ChannelFuture last = null;
            for (Channel listener : listeners) {
                if (!listener.isOpen()) {
                    ctx.close(); // closing: its number may name another file by now
                    return;
                }
                last = ctx.write(((UnixChannel) listener).fd()); // a FileDescriptor: sent with SCM_RIGHTS
            }
            ctx.flush();
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * In a worker: takes the duplicates served at {@code path} and serves them on {@code loop} with
     * {@code initializer}, as the worker's own listeners.
     *
     * @return completes, on the loop, with the listening channels in the order of {@code bindings}
     */
    static CompletableFuture<List<Channel>> receive(EventLoop loop, Path path, List<ServerBinding> bindings,
            ConnectionInitializer initializer) {
        if (!(loop instanceof EventLoopImpl impl) || !Listeners.epoll(loop)) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "reuse_port=false needs the epoll transport (Linux, without -Dpulsar.nio=true)"));
        }
        return fetch(loop, path).thenCompose(fds -> {
            if (fds.size() != bindings.size()) {
                fds.forEach(SharedListeners::closeQuietly);
                throw new IllegalStateException("the monitor shared " + fds.size() + " listening socket(s) at " + path
                        + ", not the " + bindings.size() + " of " + bindings + " (is the application stopping?)");
            }
            List<ServerChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < fds.size(); i++) {
                    int fd = fds.get(i).intValue();
                    channels.add(bindings.get(i).isUnix() ? new EpollServerDomainSocketChannel(fd, true) : new EpollServerSocketChannel(fd));
                }
            } catch (RuntimeException e) {
                channels.forEach(Channel::close);
                fds.subList(channels.size(), fds.size()).forEach(SharedListeners::closeQuietly);
                throw e;
            }
            return Listeners.bindAll(bindings, channels, (b, channel) -> impl.serve(channel, initializer))
                    .whenComplete((served, e) -> {
                        if (e != null) {
                            channels.forEach(Channel::close); // those not served yet too
                        }
                    });
        });
    }

    /** The file descriptors the monitor writes at {@code path}, in order, until it closes the connection. */
    private static CompletableFuture<List<FileDescriptor>> fetch(EventLoop loop, Path path) {
        List<FileDescriptor> fds = new ArrayList<>();
        CompletableFuture<List<FileDescriptor>> result = LoopThreads.newFuture();
        Bootstrap b = new Bootstrap().group(loop.netty()).channel(EpollDomainSocketChannel.class)
                .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        fds.add((FileDescriptor) msg);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        result.complete(fds);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        LOG.warn("taking the listening sockets from {}: {}", path, cause.toString());
                        ctx.close(); // what came so far is counted, and refused when short
                    }
                });
        b.connect(new DomainSocketAddress(path.toFile())).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IllegalStateException("cannot take the listening sockets from the monitor at "
                        + path + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    private static void closeQuietly(FileDescriptor fd) {
        try {
            fd.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", fd, e.toString());
        }
    }
}
