package pulsar.impl.socket;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.EventLoop;
import pulsar.app.ServerBinding;
import pulsar.app.SocketProtocol;
import pulsar.app.SocketServerConfig;
import pulsar.impl.loop.LoopThreads;

/**
 * The socket server a worker runs: listens on every address of a {@link SocketServerConfig} (TCP
 * with {@code SO_REUSEPORT}, so that the workers of an application share a port and the kernel
 * spreads connections over them; Unix sockets; or the listening sockets its monitor shares,
 * {@link SharedListeners}), serves each accepted connection on the worker's
 * {@link EventLoop} with the user's {@link SocketProtocol}, enforces {@code keep_alive} and
 * {@code max_connections}, speaks TLS when the config has a certificate, counts what it serves
 * ({@link #info()}) and stops gracefully ({@link #stop()}).
 *
 * <pre>{@code
 * SocketServer server = SocketServer.start(actor.loop(), config, SocketProtocol.echo()).join();
 * ...
 * server.stop().join();
 * }</pre>
 */
public final class SocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final EventLoop loop;
    private final SocketServerConfig config;
    private final ServerStats stats = new ServerStats();
    private final List<Channel> listeners = new ArrayList<>();         // on the loop
    private final List<ServerBinding> addresses = new ArrayList<>();   // bound, real ports; fixed after start
    private final Set<Connection> connections = new HashSet<>();       // on the loop
    private volatile boolean stopping;
    private CompletableFuture<Void> stopped;                           // on the loop
    private CompletableFuture<Void> allClosed;                         // on the loop, while stopping

    private SocketServer(EventLoop loop, SocketServerConfig config) {
        this.loop = loop;
        this.config = config;
    }

    /**
     * Starts a server on {@code loop}: reads the TLS files and resolves host names off the loop,
     * then binds every address of {@code config.bind()}, in order.
     *
     * @return completes, on the loop, with the running server (compose on it from the loop's thread:
     *     {@code join} there fails fast, as it would deadlock); fails with a
     *     {@link java.net.BindException} naming the address when one cannot be bound (those already
     *     bound are closed), or an {@link IllegalArgumentException} naming {@code cert_file} and
     *     {@code key_file} when they do not hold a PEM certificate and key
     */
    public static CompletableFuture<SocketServer> start(EventLoop loop, SocketServerConfig config,
            SocketProtocol protocol) {
        return start(loop, config, protocol, null);
    }

    /**
     * Like {@link #start(EventLoop, SocketServerConfig, SocketProtocol)}, but when {@code shared} is
     * not {@code null} serves the listening sockets of {@code config.bind()} that a monitor shares at
     * that path ({@link SharedListeners}, {@code reuse_port=false}) instead of binding them.
     */
    public static CompletableFuture<SocketServer> start(EventLoop loop, SocketServerConfig config,
            SocketProtocol protocol, Path shared) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        SocketServer server = new SocketServer(loop, config);
        return loop.runInExecutor(() -> {
            SslContext tls = config.tls() ? tlsContext(config) : null;
            List<SocketAddress> resolved = new ArrayList<>();
            for (ServerBinding b : shared == null ? config.bind() : List.<ServerBinding>of()) {
                resolved.add(Listeners.resolve(b));
            }
            return new Prepared(tls, resolved);
        }).thenCompose(prepared -> {
            ConnectionInitializer initializer = new ConnectionInitializer(server, protocol, prepared.tls(),
                    config.keepAlive(), config.maxConnections());
            return shared != null ? SharedListeners.receive(loop, shared, config.bind(), initializer)
                    : Listeners.bindAll(config.bind(), prepared.addresses(),
                            (b, address) -> Listeners.bind(loop, b, address, config.backlog(), initializer));
        }).thenApply(bound -> {
            for (int i = 0; i < bound.size(); i++) {
                server.listeners.add(bound.get(i));
                server.addresses.add(Listeners.address(config.bind().get(i), bound.get(i)));
            }
            LOG.info("socket server listening on {}{}{}", server.addresses, config.tls() ? " (TLS)" : "",
                    shared == null ? "" : " (shared by the monitor)");
            return server;
        });
    }

    private record Prepared(SslContext tls, List<SocketAddress> addresses) {
    }

    private static SslContext tlsContext(SocketServerConfig config) {
        try {
            return SslContextBuilder.forServer(config.certFile().orElseThrow().toFile(),
                    config.keyFile().orElseThrow().toFile()).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cert_file/key_file: cannot load a PEM certificate chain from "
                    + config.certFile().orElseThrow() + " and a PKCS#8 PEM key from " + config.keyFile().orElseThrow()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The addresses it listens on, with the ports it got (for port 0), in the order of {@code bind}. */
    public List<ServerBinding> addresses() {
        return List.copyOf(addresses);
    }

    /**
     * What it has served, for the worker's {@code info}: {@code address} (the addresses, as strings),
     * {@code tls}, {@code connections_open}, {@code connections_served} (accepted and handed to the
     * protocol, in total), {@code connections_rejected} (closed at once: beyond
     * {@code max_connections} or while stopping), {@code bytes_read} and {@code bytes_written} (on the
     * wire, TLS records included), {@code requests} (see {@link SocketProtocol#countsRequests()}) and
     * {@code stopping}. Numbers are {@code Long}s. Any thread.
     */
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("address", addresses().stream().map(ServerBinding::toString).toList());
        info.put("tls", config.tls());
        info.put("connections_open", stats.open.get());
        info.put("connections_served", stats.served.get());
        info.put("connections_rejected", stats.rejected.get());
        info.put("bytes_read", stats.bytesRead.get());
        info.put("bytes_written", stats.bytesWritten.get());
        info.put("requests", stats.requests.get());
        info.put("stopping", stopping);
        return info;
    }

    /** The requests served so far (see {@link SocketProtocol#countsRequests()}). Any thread. */
    public long requests() {
        return stats.requests.get();
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopping() {
        return stopping;
    }

    /** {@link #stop(Duration)} with the config's {@code graceful_timeout}. */
    public CompletableFuture<Void> stop() {
        return stop(config.gracefulTimeout());
    }

    /**
     * Stops gracefully: closes the listening sockets at once (new connections go to the other
     * workers on the port), closes each connection as soon as it has answered everything it
     * read, and after {@code gracefulTimeout} closes the connections left. Calling it again returns
     * the same future. Any thread.
     *
     * @return completes, on the loop, when the listening sockets and every connection are closed;
     *     compose on it from the loop's thread ({@code join} there fails fast, as it would deadlock)
     */
    public CompletableFuture<Void> stop(Duration gracefulTimeout) {
        Objects.requireNonNull(gracefulTimeout, "gracefulTimeout");
        stopping = true;
        if (!loop.isRunning()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = LoopThreads.newFuture(); // join() on the loop fails fast
        loop.execute(() -> {
            if (stopped == null) {
                stopped = beginStop(gracefulTimeout);
            }
            stopped.whenComplete((v, e) -> result.complete(null));
        });
        return result;
    }

    private CompletableFuture<Void> beginStop(Duration gracefulTimeout) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Channel listener : listeners) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            listener.close().addListener(f -> closed.complete(null));
            closing.add(closed);
        }
        allClosed = new CompletableFuture<>();
        closing.add(allClosed);
        EventLoop.Handle deadline = loop.callLater(gracefulTimeout, () -> {
            if (!connections.isEmpty()) {
                LOG.info("graceful_timeout ({}) over: closing {} connection(s) still busy", gracefulTimeout, connections.size());
                List.copyOf(connections).forEach(c -> c.channel().close());
            }
        });
        List.copyOf(connections).forEach(Connection::drain);
        checkAllClosed();
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> deadline.cancel());
    }

    private void checkAllClosed() {
        if (allClosed != null && connections.isEmpty()) {
            allClosed.complete(null);
        }
    }

    ServerStats stats() {
        return stats;
    }

    /** A connection handed to the protocol, on the loop. */
    void opened(Connection connection) {
        connections.add(connection);
        stats.open.incrementAndGet();
        stats.served.incrementAndGet();
        connection.channel().closeFuture().addListener(f -> {
            connections.remove(connection);
            stats.open.decrementAndGet();
            checkAllClosed();
        });
    }
}
