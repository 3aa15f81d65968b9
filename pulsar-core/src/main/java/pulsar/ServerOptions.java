package pulsar;

import java.util.Objects;

/**
 * How {@link EventLoop#createServer(java.net.InetSocketAddress, ServerOptions, io.netty.channel.ChannelInitializer)}
 * opens its listening socket: an immutable value; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * ServerOptions shared = ServerOptions.defaults().withReusePort(true).withBacklog(512);
 * }</pre>
 */
public final class ServerOptions {
    /** {@value}: the port is not shared; a second server on it fails to bind. */
    public static final boolean DEFAULT_REUSE_PORT = false;

    /**
     * {@value}: the accept queue takes the system's limit ({@code net.core.somaxconn} on Linux, as
     * Netty reads it). A larger value is capped by the kernel as well.
     */
    public static final int DEFAULT_BACKLOG = 0;

    private static final ServerOptions DEFAULTS = new ServerOptions(DEFAULT_REUSE_PORT, DEFAULT_BACKLOG);

    private final boolean reusePort;
    private final int backlog;

    private ServerOptions(boolean reusePort, int backlog) {
        this.reusePort = reusePort;
        this.backlog = backlog;
    }

    /** The defaults: {@link #DEFAULT_REUSE_PORT} and {@link #DEFAULT_BACKLOG}. */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with {@code SO_REUSEPORT} on or off. When on, several servers (usually one per loop, in
     * one JVM or several) may bind the same address and port, every one of them with this option, and
     * the kernel spreads incoming connections over them. Supported on Linux by both transports: epoll
     * ({@code EpollChannelOption.SO_REUSEPORT}) and NIO ({@code StandardSocketOptions.SO_REUSEPORT},
     * JDK 9+); where the platform lacks it, {@code createServer} fails with an
     * {@link UnsupportedOperationException} rather than bind an unshared port.
     */
    public ServerOptions withReusePort(boolean reusePort) {
        return new ServerOptions(reusePort, backlog);
    }

    /**
     * A copy with this accept-queue length ({@code listen(2)}'s backlog): connections the kernel has
     * established that the loop has not accepted yet. 0 means the system's limit.
     *
     * @throws IllegalArgumentException when {@code backlog} is negative
     */
    public ServerOptions withBacklog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog: " + backlog + " must be >= 0 (0 = the system's limit)");
        }
        return new ServerOptions(reusePort, backlog);
    }

    /** Whether the port may be shared with other servers that set it too. */
    public boolean reusePort() {
        return reusePort;
    }

    /** The accept-queue length; 0 for the system's limit. */
    public int backlog() {
        return backlog;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerOptions other && reusePort == other.reusePort && backlog == other.backlog;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reusePort, backlog);
    }

    @Override
    public String toString() {
        return "ServerOptions[reusePort=" + reusePort + ", backlog=" + (backlog == 0 ? "system" : backlog) + "]";
    }
}
