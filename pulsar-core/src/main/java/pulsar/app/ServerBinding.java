package pulsar.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One address a server listens on: a TCP host and port, or a Unix domain socket path. An
 * immutable value, parsed from the {@code bind} setting:
 *
 * <ul>
 *   <li>{@code HOST:PORT}: {@code 127.0.0.1:8060}, {@code 0.0.0.0:8060} (every IPv4 interface),
 *       {@code [::1]:8060} (IPv6 in brackets), {@code localhost:8060} (resolved when bound);</li>
 *   <li>{@code :PORT}: {@link #DEFAULT_HOST}, loopback, so that nothing leaves the machine
 *       unless asked to;</li>
 *   <li>{@code unix:PATH}: a Unix domain socket (Linux, epoll transport);</li>
 *   <li>a comma list of the above: {@link #parseList(String)}.</li>
 * </ul>
 *
 * Port 0 asks the system for a free port; the server reports the one it got.
 */
public final class ServerBinding {
    /** {@value}: the host of {@code :PORT}, loopback. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final String UNIX = "unix:";
    private static final String FORMS = "HOST:PORT, :PORT, [IPV6]:PORT or unix:PATH";

    private final String host; // null for a Unix socket
    private final int port;
    private final Path path; // null for TCP

    private ServerBinding(String host, int port, Path path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * A TCP address.
     *
     * @throws IllegalArgumentException when the host is blank or the port is not in 0..65535
     */
    public static ServerBinding tcp(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bind: host '" + host + "' is blank or holds spaces");
        }
        checkPort(port, host + ":" + port);
        return new ServerBinding(host, port, null);
    }

    /**
     * A Unix domain socket at {@code path}.
     *
     * @throws IllegalArgumentException when the path is empty
     */
    public static ServerBinding unix(Path path) {
        Objects.requireNonNull(path, "path");
        if (path.toString().isEmpty()) {
            throw new IllegalArgumentException("bind: 'unix:' needs a path, e.g. unix:/tmp/pulsar.sock");
        }
        return new ServerBinding(null, 0, path);
    }

    /**
     * Parses one address ({@code HOST:PORT}, {@code :PORT}, {@code [IPV6]:PORT} or
     * {@code unix:PATH}); surrounding spaces are ignored.
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static ServerBinding parse(String text) {
        Objects.requireNonNull(text, "bind");
        String s = text.strip();
        if (s.startsWith(UNIX)) {
            return unix(Path.of(s.substring(UNIX.length())));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("bind: '" + text + "' is not " + FORMS);
        }
        String host = s.substring(0, colon);
        String portText = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("bind: '" + text + "': write an IPv6 host in brackets, as [::1]:8060");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bind: '" + text + "' has no port number (" + FORMS + ")");
        }
        checkPort(port, text);
        return tcp(host.isEmpty() ? DEFAULT_HOST : host, port);
    }

    /**
     * Parses a comma list of addresses, each as {@link #parse(String)} reads it.
     *
     * @return the addresses in order, at least one
     * @throws IllegalArgumentException naming the value when it is empty, has an empty item or a
     *     bad one, or names one address twice
     */
    public static List<ServerBinding> parseList(String text) {
        Objects.requireNonNull(text, "bind");
        if (text.isBlank()) {
            throw new IllegalArgumentException("bind: '" + text + "' is empty; expected " + FORMS + ", or a comma list");
        }
        List<ServerBinding> all = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (item.isBlank()) {
                throw new IllegalArgumentException("bind: '" + text + "' has an empty address in its comma list");
            }
            ServerBinding b = parse(item);
            if (all.contains(b)) {
                throw new IllegalArgumentException("bind: '" + text + "' names " + b + " twice");
            }
            all.add(b);
        }
        return List.copyOf(all);
    }

    private static void checkPort(int port, String text) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("bind: port " + port + " in '" + text + "' is not in 0..65535");
        }
    }

    /** Whether this is a Unix domain socket rather than a TCP address. */
    public boolean isUnix() {
        return path != null;
    }

    /**
     * The TCP host, as written (a name, an IPv4 or an IPv6 literal without brackets).
     *
     * @throws IllegalStateException for a Unix socket
     */
    public String host() {
        if (host == null) {
            throw new IllegalStateException(this + " is a Unix socket: it has no host");
        }
        return host;
    }

    /**
     * The TCP port; 0 asks the system for a free one.
     *
     * @throws IllegalStateException for a Unix socket
     */
    public int port() {
        if (host == null) {
            throw new IllegalStateException(this + " is a Unix socket: it has no port");
        }
        return port;
    }

    /**
     * The path of the Unix socket.
     *
     * @throws IllegalStateException for a TCP address
     */
    public Path path() {
        if (path == null) {
            throw new IllegalStateException(this + " is a TCP address: it has no path");
        }
        return path;
    }

    /**
     * A copy with another port (a server reports the port it got for port 0 this way).
     *
     * @throws IllegalStateException for a Unix socket
     */
    public ServerBinding withPort(int port) {
        return tcp(host(), port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerBinding b && port == b.port && Objects.equals(host, b.host) && Objects.equals(path, b.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, path);
    }

    /** The address as {@link #parse(String)} reads it: {@code 127.0.0.1:8060}, {@code [::1]:80}, {@code unix:/x.sock}. */
    @Override
    public String toString() {
        if (path != null) {
            return UNIX + path;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
