package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.RedisCli;

/** {@code config get|set} on the arbiter, from redis-cli and from Java. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArbiterConfigTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    private static void assumeRedisCli() {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
    }

    @Test
    void configGetStar_listsEverySetting_asNameValuePairs() throws Exception {
        assumeRedisCli();
        List<String> lines = RedisCli.call(arbiter.port(), arbiter.secret(), "config", "get", "*").lines().toList();
        assertThat(lines).hasSize(2 * Settings.names().size());
        for (String name : Settings.names()) {
            assertThat(lines).contains(name);
        }
        assertThat(lines.get(lines.indexOf("arbiter_port") + 1)).isEqualTo("0");
        assertThat(lines.get(lines.indexOf("mailbox_host") + 1)).isEqualTo("127.0.0.1");
    }

    @Test
    void configSet_changesTheDefaultsOfLaterSpawns_only() throws Exception {
        assumeRedisCli();
        ActorProxy before = Pulsar.spawn(Spawn.thread()).get(30, TimeUnit.SECONDS);
        assertThat(RedisCli.call(arbiter.port(), arbiter.secret(), "config", "set", "timeout", "11s", "handshake_timeout", "12s"))
                .isEqualTo("OK");
        assertThat(arbiter.settings().timeout()).isEqualTo(Duration.ofSeconds(11));
        ActorProxy after = Pulsar.spawn(Spawn.thread()).get(30, TimeUnit.SECONDS);
        assertThat(timeoutOf(after)).isEqualTo(11.0);
        assertThat(timeoutOf(before)).isEqualTo(Settings.DEFAULT_TIMEOUT.toSeconds() * 1.0);
        Pulsar.send(before, "stop").get(20, TimeUnit.SECONDS);
        Pulsar.send(after, "stop").get(20, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static Object timeoutOf(ActorProxy p) throws Exception {
        return ((Map<String, Object>) p.run((actor, args) -> actor.settings().toMap()).get(20, TimeUnit.SECONDS)).get("timeout");
    }

    @Test
    void configSet_refusesProcessSettings_unknownNames_andBadValues_namingBoth() throws Exception {
        assumeRedisCli();
        int port = arbiter.port();
        String secret = arbiter.secret();
        assertThat(RedisCli.call(port, secret, "config", "set", "arbiter_port", "7000"))
                .contains("ERR").contains("arbiter_port").contains("cannot change at run time").contains("7000");
        assertThat(RedisCli.call(port, secret, "config", "set", "no_such_setting", "x"))
                .contains("ERR").contains("no_such_setting").contains("'x'");
        assertThat(RedisCli.call(port, secret, "config", "set", "spare_processes", "-3"))
                .contains("ERR").contains("spare_processes").contains("-3");
        // A bad pair leaves the good one before it unapplied.
        assertThat(RedisCli.call(port, secret, "config", "set", "stop_grace", "2s", "timeout", "never")).contains("timeout");
        assertThat(arbiter.settings().stopGrace()).isEqualTo(Settings.DEFAULT_STOP_GRACE);
        assertThat(RedisCli.call(port, secret, "ping")).isEqualTo("PONG");
    }
}
