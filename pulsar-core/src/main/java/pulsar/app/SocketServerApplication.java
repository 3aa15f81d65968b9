package pulsar.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.Actor;
import pulsar.Settings;
import pulsar.impl.socket.SharedListeners;
import pulsar.impl.socket.SocketServer;

/**
 * A TCP server application: each worker serves the application's {@link #protocol()} on the
 * addresses of the {@code bind} setting. Workers bind with {@code SO_REUSEPORT}, so every worker
 * (a child JVM or a thread) listens on the same port and the kernel spreads connections: no
 * listening socket depends on one worker's life, and a replaced worker binds again. With
 * {@code reuse_port=false} the monitor binds each address once instead, and every worker serves a
 * duplicate of its listening sockets, so that no connection waiting to be accepted is lost when
 * a worker goes (Linux, epoll transport). The
 * settings {@code backlog}, {@code keep_alive}, {@code max_connections}, {@code key_file} and
 * {@code cert_file} (TLS) and {@code graceful_timeout} apply, and {@code max_requests} (plus up to
 * {@code max_requests_jitter}) retires a worker gracefully once it has served that many requests; each worker's {@code info} has a
 * {@code server} section (addresses, connections open and served, bytes, requests).
 * <pre>{@code
 * public final class Lines extends SocketServerApplication {
 *     public Lines() { super("lines", "127.0.0.1:9000"); }
 *     protected SocketProtocol protocol() { return c -> c.pipeline().addLast(new LineCodec(), new MyHandler()); }
 * }
 * }</pre>
 */
public abstract class SocketServerApplication extends Application {
    private static final long serialVersionUID = 1L;

    private final String defaultBind;
    /** The server of each worker of this JVM, by aid (thread workers share this object). */
    private transient Map<String, SocketServer> servers;
    /** {@code reuse_port=false}: the listening sockets the monitor holds, in the arbiter's JVM. */
    private transient SharedListeners shared;
    /** {@code reuse_port=false}: where workers take them, and their addresses; set before any worker, travels to each. */
    private String sharedPath;
    private String sharedBind;

    /**
     * A server application named {@code name} that listens on {@code defaultBind} unless the
     * {@code bind} setting says otherwise.
     *
     * @throws IllegalArgumentException naming a bad name or bind
     */
    protected SocketServerApplication(String name, String defaultBind) {
        super(name);
        ServerBinding.parseList(defaultBind);
        this.defaultBind = defaultBind;
    }

    /** The echo server: writes back every byte it receives; listens on 127.0.0.1:8060 by default. */
    public static SocketServerApplication echo() {
        return new Echo();
    }

    /** The protocol each connection speaks; called in each worker. */
    protected abstract SocketProtocol protocol();

    /** The server configuration these settings describe. */
    public final SocketServerConfig serverConfig(Settings s) {
        SocketServerConfig c = SocketServerConfig.defaults()
                .withBind(s.serverBind().isEmpty() ? defaultBind : s.serverBind())
                .withBacklog(s.backlog()).withKeepAlive(s.keepAlive()).withMaxConnections(s.maxConnections())
                .withGracefulTimeout(s.gracefulTimeout());
        if (s.keyFile().isEmpty() != s.certFile().isEmpty()) {
            throw new IllegalArgumentException("settings key_file and cert_file: give both for TLS, or neither (key_file '"
                    + s.keyFile() + "', cert_file '" + s.certFile() + "')");
        }
        return s.certFile().isEmpty() ? c : c.withTls(Path.of(s.certFile()), Path.of(s.keyFile()));
    }

    private synchronized Map<String, SocketServer> servers() {
        if (servers == null) {
            servers = new ConcurrentHashMap<>();
        }
        return servers;
    }

    @Override
    public CompletionStage<?> monitorStart(Monitor monitor) throws Exception {
        SocketServerConfig config = serverConfig(monitor.settings()); // a bad bind or TLS pair stops the application before any worker
        if (monitor.settings().reusePort()) {
            return super.monitorStart(monitor);
        }
        return SharedListeners.open(monitor.loop(), config).thenAccept(listeners -> {
            shared = listeners;
            sharedPath = listeners.path().toString();
            sharedBind = String.join(",", listeners.addresses().stream().map(ServerBinding::toString).toList());
            monitor.stopped().whenComplete((v, e) -> listeners.close()); // also when an override skips monitorStopping's
        });
    }

    @Override
    public CompletionStage<?> monitorStopping(Monitor monitor) throws Exception {
        if (shared != null) {
            // The workers keep their duplicates until they stop: what they accept meanwhile is
            // served, and the port refuses connections once the last one has closed its own.
            shared.close();
        }
        return super.monitorStopping(monitor);
    }

    @Override
    public void monitorInfo(Monitor monitor, Map<String, Object> info) throws Exception {
        if (shared != null) {
            info.put("listening", shared.addresses().stream().map(ServerBinding::toString).toList());
        }
    }

    @Override
    public CompletionStage<?> workerStart(Actor worker) throws Exception {
        Settings s = settings();
        CompletableFuture<SocketServer> started;
        if (s.reusePort()) {
            started = SocketServer.start(worker.loop(), serverConfig(s), protocol());
        } else if (sharedPath == null) {
            throw new IllegalStateException("reuse_port=false but the monitor shares no listening sockets: an override of"
                    + " monitorStart must call super.monitorStart");
        } else {
            started = SocketServer.start(worker.loop(), serverConfig(s).withBind(sharedBind), protocol(), Path.of(sharedPath));
        }
        return started.thenAccept(server -> {
            servers().put(worker.aid(), server);
            if (s.maxRequests() > 0) {
                retireAfter(worker, server, s.maxRequests() + java.util.concurrent.ThreadLocalRandom.current().nextInt(s.maxRequestsJitter() + 1));
            }
        });
    }

    /** Asks the monitor to retire this worker once it has served {@code limit} requests ({@code max_requests} plus jitter). */
    private void retireAfter(Actor worker, SocketServer server, long limit) {
        pulsar.EventLoop.Handle[] check = new pulsar.EventLoop.Handle[1];
        check[0] = worker.loop().callRepeatedly(java.time.Duration.ofMillis(200), () -> {
            if (server.isStopping()) {
                check[0].cancel();
            } else if (server.requests() >= limit) {
                check[0].cancel();
                pulsar.Pulsar.send(name(), "retire", worker.aid());
            }
        });
    }

    @Override
    public CompletionStage<?> workerStopping(Actor worker) throws Exception {
        SocketServer server = servers().remove(worker.aid());
        return server == null ? super.workerStopping(worker) : server.stop(settings().gracefulTimeout());
    }

    @Override
    public void workerInfo(Actor worker, Map<String, Object> info) throws Exception {
        SocketServer server = servers().get(worker.aid());
        if (server != null) {
            info.put("server", server.info());
        }
    }

    /** The bundled echo server. */
    private static final class Echo extends SocketServerApplication {
        private static final long serialVersionUID = 1L;

        Echo() {
            super("echo", "127.0.0.1:8060");
        }

        @Override
        protected SocketProtocol protocol() {
            return SocketProtocol.echo();
        }
    }
}
