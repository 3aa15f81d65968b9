package pulsar.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for tests. */
public final class Ports {
    private Ports() {
    }

    /**
     * A loopback port free at the time of the call: for an application whose workers must all bind
     * one known port ({@code bind 127.0.0.1:0} would give each worker its own).
     */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
