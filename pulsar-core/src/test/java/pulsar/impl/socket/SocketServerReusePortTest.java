package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static pulsar.impl.socket.SocketTesting.onFreePort;
import static pulsar.impl.socket.SocketTesting.port;
import static pulsar.impl.socket.SocketTesting.roundTrip;
import static pulsar.impl.socket.SocketTesting.stat;

import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.app.SocketProtocol;

/** Two workers (two loops, as two thread workers) serve one port with SO_REUSEPORT. */
@Timeout(30)
class SocketServerReusePortTest {
    private final SocketTesting t = new SocketTesting();

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void twoServersOnOnePort_bothServe_andTheKernelSpreadsConnections() throws Exception {
        SocketServer first = t.start(onFreePort(), SocketProtocol.echo());
        int port = port(first);
        SocketServer second = t.start(onFreePort().withBind(":" + port), SocketProtocol.echo());
        assertThat(second.addresses()).isEqualTo(first.addresses());

        for (int i = 0; i < 40; i++) {
            Socket s = t.connect(port);
            assertThat(roundTrip(s, "n" + i)).isEqualTo("n" + i);
            s.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stat(first, "connections_served") + stat(second, "connections_served") == 40);
        // a 4-tuple hash spreads 40 connections over both (all on one: 2^-39)
        assertThat(stat(first, "connections_served")).isPositive();
        assertThat(stat(second, "connections_served")).isPositive();
    }

    @Test
    void whenOneWorkerStops_theOtherTakesEveryNewConnection() throws Exception {
        SocketServer first = t.start(onFreePort(), SocketProtocol.echo());
        int port = port(first);
        SocketServer second = t.start(onFreePort().withBind(":" + port), SocketProtocol.echo());
        first.stop().join();
        long before = stat(second, "connections_served");
        for (int i = 0; i < 20; i++) {
            try (Socket s = t.connect(port)) {
                assertThat(roundTrip(s, "after")).isEqualTo("after");
            }
        }
        assertThat(stat(second, "connections_served") - before).isEqualTo(20);
        assertThat(stat(first, "connections_served")).isZero();
    }
}
