package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** With serialization_allow set, only the listed classes (and the framework's own) decode. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SerializationSecurityTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension(s -> s.withSerializationAllow("com.acme.**"));

    @Test
    void aClassOutsideTheAllowList_isRejected_namingTheClassAndTheSetting() {
        for (Spawn spec : new Spawn[] {Spawn.thread(), Spawn.process()}) {
            ActorProxy p = Pulsar.spawn(spec).orTimeout(30, TimeUnit.SECONDS).join();
            assertThatThrownBy(() -> p.send("echo", new java.awt.Point(1, 2)).orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOf(PulsarException.class)
                    .satisfies(e -> assertThat(((PulsarException) e).kind()).isEqualTo(FailureKind.REJECTED_CLASS))
                    .hasMessageContaining("java.awt.Point").hasMessageContaining("serialization_allow");
            // Functions of the framework's own packages and plain values still work.
            assertThat(p.run((actor, args) -> "ran").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("ran");
            assertThat(p.send("ping").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("PONG");
            p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void aMailboxOffLoopback_refusesToStartWithoutAnAllowList() throws Exception {
        Settings before = Pulsar.arbiter().settings();
        Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
        try {
            Pulsar.arbiter().configure(before.withSerializationAllow("").withBind("0.0.0.0"));
            assertThatThrownBy(() -> Pulsar.arbiter().start().get(20, TimeUnit.SECONDS))
                    .hasMessageContaining("serialization_allow").hasMessageContaining("0.0.0.0");
            assertThat(Pulsar.arbiter().isRunning()).isFalse();
        } finally {
            Pulsar.arbiter().stop().get(30, TimeUnit.SECONDS);
            Pulsar.arbiter().configure(before);
            Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        }
    }
}
