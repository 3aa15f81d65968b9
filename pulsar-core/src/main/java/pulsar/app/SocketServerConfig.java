package pulsar.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a worker's socket server listens and what it allows: an immutable value; each
 * {@code withX} returns a copy and checks its argument at once, naming the setting
 * ({@code bind}, {@code backlog}, {@code keep_alive}, {@code max_connections},
 * {@code cert_file}/{@code key_file}, {@code graceful_timeout}) and the bad value.
 *
 * <pre>{@code
 * SocketServerConfig config = SocketServerConfig.defaults()
 *         .withBind(":8060,unix:/run/echo.sock")
 *         .withKeepAlive(Duration.ofSeconds(30))
 *         .withTls(Path.of("cert.pem"), Path.of("key.pem"));
 * }</pre>
 */
public final class SocketServerConfig {
    /** {@value}: loopback, port 8060. */
    public static final String DEFAULT_BIND = "127.0.0.1:8060";

    /** {@value}: the accept queue of each listening socket (the kernel caps it at {@code net.core.somaxconn}). */
    public static final int DEFAULT_BACKLOG = 2048;

    /** 15 seconds: a connection silent (nothing read, nothing written) that long is closed. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);

    /** {@value}: open connections per server (per worker); one more is closed at once. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** 30 seconds: how long a graceful stop lets the exchanges in flight finish. */
    public static final Duration DEFAULT_GRACEFUL_TIMEOUT = Duration.ofSeconds(30);

    private static final SocketServerConfig DEFAULTS = new SocketServerConfig(ServerBinding.parseList(DEFAULT_BIND),
            DEFAULT_BACKLOG, DEFAULT_KEEP_ALIVE, DEFAULT_MAX_CONNECTIONS, null, null, DEFAULT_GRACEFUL_TIMEOUT);

    private final List<ServerBinding> bind;
    private final int backlog;
    private final Duration keepAlive;
    private final int maxConnections;
    private final Path certFile;
    private final Path keyFile;
    private final Duration gracefulTimeout;

    private SocketServerConfig(List<ServerBinding> bind, int backlog, Duration keepAlive, int maxConnections,
            Path certFile, Path keyFile, Duration gracefulTimeout) {
        this.bind = bind;
        this.backlog = backlog;
        this.keepAlive = keepAlive;
        this.maxConnections = maxConnections;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.gracefulTimeout = gracefulTimeout;
    }

    /** The defaults: the {@code DEFAULT_*} constants, and no TLS. */
    public static SocketServerConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A copy listening on the addresses of a {@code bind} string, as {@link ServerBinding#parseList(String)} reads it.
     *
     * @throws IllegalArgumentException naming the value when it is not a list of addresses
     */
    public SocketServerConfig withBind(String bind) {
        return withBind(ServerBinding.parseList(bind));
    }

    /**
     * A copy listening on these addresses.
     *
     * @throws IllegalArgumentException when the list is empty or names an address twice
     */
    public SocketServerConfig withBind(List<ServerBinding> bind) {
        List<ServerBinding> copy = List.copyOf(bind);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("bind: [] is empty; give at least one address");
        }
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("bind: " + copy + " names an address twice");
        }
        return new SocketServerConfig(copy, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    /**
     * A copy with this accept-queue length for each listening socket; 0 takes the system's limit.
     *
     * @throws IllegalArgumentException when negative
     */
    public SocketServerConfig withBacklog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog: " + backlog + " must be >= 0 (0 = the system's limit)");
        }
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    /**
     * A copy whose connections close after being silent (nothing read, nothing written) this long;
     * {@link Duration#ZERO} keeps silent connections open.
     *
     * @throws IllegalArgumentException when negative
     */
    public SocketServerConfig withKeepAlive(Duration keepAlive) {
        Objects.requireNonNull(keepAlive, "keep_alive");
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("keep_alive: " + keepAlive + " must be >= 0 (0 = no idle timeout)");
        }
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    /**
     * A copy that keeps at most this many connections open per server (per worker): a connection
     * accepted beyond it is closed at once. 0 sets no cap.
     *
     * @throws IllegalArgumentException when negative
     */
    public SocketServerConfig withMaxConnections(int maxConnections) {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max_connections: " + maxConnections + " must be >= 0 (0 = no cap)");
        }
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    /**
     * A copy that speaks TLS on every address, with this certificate chain and private key
     * (PEM files; the key in PKCS#8, {@code -----BEGIN PRIVATE KEY-----}, as {@code openssl req
     * -newkey rsa:2048 -nodes} writes it). The files are read when the server starts.
     *
     * @throws IllegalArgumentException naming the setting and the path when a file is not readable
     */
    public SocketServerConfig withTls(Path certFile, Path keyFile) {
        checkReadable("cert_file", certFile);
        checkReadable("key_file", keyFile);
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    /** A copy that speaks plain TCP. */
    public SocketServerConfig withoutTls() {
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, null, null, gracefulTimeout);
    }

    /**
     * A copy whose graceful stop lets exchanges in flight finish for at most this long before
     * closing the connections left; {@link Duration#ZERO} closes them at once.
     *
     * @throws IllegalArgumentException when negative
     */
    public SocketServerConfig withGracefulTimeout(Duration gracefulTimeout) {
        Objects.requireNonNull(gracefulTimeout, "graceful_timeout");
        if (gracefulTimeout.isNegative()) {
            throw new IllegalArgumentException("graceful_timeout: " + gracefulTimeout + " must be >= 0");
        }
        return new SocketServerConfig(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    private static void checkReadable(String setting, Path file) {
        Objects.requireNonNull(file, setting);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(setting + ": " + file + " is not a readable file");
        }
    }

    /** The addresses to listen on, at least one. */
    public List<ServerBinding> bind() {
        return bind;
    }

    /** The accept-queue length of each listening socket; 0 for the system's limit. */
    public int backlog() {
        return backlog;
    }

    /** How long a connection may stay silent before it is closed; zero for no limit. */
    public Duration keepAlive() {
        return keepAlive;
    }

    /** The cap on open connections per server; 0 for none. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The PEM certificate chain when TLS is on. */
    public Optional<Path> certFile() {
        return Optional.ofNullable(certFile);
    }

    /** The PEM private key when TLS is on. */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return certFile != null;
    }

    /** How long a graceful stop waits for exchanges in flight. */
    public Duration gracefulTimeout() {
        return gracefulTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketServerConfig c && bind.equals(c.bind) && backlog == c.backlog
                && keepAlive.equals(c.keepAlive) && maxConnections == c.maxConnections
                && Objects.equals(certFile, c.certFile) && Objects.equals(keyFile, c.keyFile)
                && gracefulTimeout.equals(c.gracefulTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bind, backlog, keepAlive, maxConnections, certFile, keyFile, gracefulTimeout);
    }

    @Override
    public String toString() {
        return "SocketServerConfig[bind=" + bind + ", backlog=" + backlog + ", keep_alive=" + keepAlive
                + ", max_connections=" + maxConnections + ", cert_file=" + certFile + ", key_file=" + keyFile
                + ", graceful_timeout=" + gracefulTimeout + "]";
    }
}
