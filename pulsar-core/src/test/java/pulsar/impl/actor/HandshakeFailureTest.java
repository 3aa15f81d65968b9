package pulsar.impl.actor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.ActorState;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.arbiter.ArbiterImpl;
import pulsar.impl.command.CommandRegistry;
import pulsar.impl.mailbox.Dispatcher;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.runtime.PulsarRuntime;

/** An actor whose handshake fails stops by itself, within a bounded time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakeFailureTest {
    private Settings settings;
    private MailboxConfig config;
    private Path dir;
    private ActorServices services;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("pulsar-handshake-");
        settings = Settings.defaults().withSecretFile(dir.resolve("secret").toString()).withHandshakeTimeout(Duration.ofSeconds(2));
        config = MailboxConfig.of(settings);
        services = new ActorServices(new Dispatcher(() -> config), new CommandRegistry());
    }

    @AfterEach
    void tearDown() throws Exception {
        Files.deleteIfExists(dir.resolve("secret"));
        Files.deleteIfExists(dir);
    }

    @Test
    void managerNotListening_actorStops() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ManagedActor actor = ManagedActor.startThread("hs-refused", 1, Spawn.thread(),
                new ActorProxyImpl("arbiter", "arbiter", new InetSocketAddress("127.0.0.1", port)), settings, config, services);
        actor.stopped().get(10, TimeUnit.SECONDS);
        assertThat(actor.state()).isEqualTo(ActorState.STOPPED);
    }

    @Test
    void managerNeverAnswers_actorStopsAfterTheHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread accepter = Thread.ofVirtual().start(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(20_000); // accepts, reads nothing, answers nothing
                } catch (Exception ignoredToo) {
                    // closed by the test
                }
            });
            long start = System.nanoTime();
            ManagedActor actor = ManagedActor.startThread("hs-silent", 1, Spawn.thread(),
                    new ActorProxyImpl("arbiter", "arbiter", new InetSocketAddress("127.0.0.1", silent.getLocalPort())), settings, config, services);
            actor.stopped().get(15, TimeUnit.SECONDS);
            assertThat(actor.state()).isEqualTo(ActorState.STOPPED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            accepter.interrupt();
        }
    }

    @Test
    void managerDoesNotKnowTheActor_actorStops() throws Exception {
        ArbiterImpl arbiter = PulsarRuntime.get().arbiter();
        arbiter.configure(settings);
        arbiter.start().get(10, TimeUnit.SECONDS);
        try {
            ManagedActor actor = ManagedActor.startThread("hs-unknown", 1, Spawn.thread(),
                    new ActorProxyImpl("arbiter", "arbiter", arbiter.address()), settings, config, PulsarRuntime.get().services());
            actor.stopped().get(10, TimeUnit.SECONDS);
            assertThat(actor.state()).isEqualTo(ActorState.STOPPED);
        } finally {
            arbiter.stop().get(20, TimeUnit.SECONDS);
        }
    }
}
