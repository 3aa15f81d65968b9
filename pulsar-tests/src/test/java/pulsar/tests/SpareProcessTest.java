package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/** With spare_processes, a spawn takes a warm child JVM and the pool is topped up. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SpareProcessTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension(s -> s.withSpareProcesses(1));

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    @Test
    void spawn_usesTheWarmSpare_andAnotherSpareTakesItsPlace() {
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 1);
        Set<Long> spare = children();
        ActorProxy p = Pulsar.spawn(Spawn.process().name("from-spare")).orTimeout(30, TimeUnit.SECONDS).join();
        long pid = Children.pid(p);
        assertThat(spare).contains(pid);
        await().atMost(Duration.ofSeconds(20)).until(() -> children().size() == 2);
        assertThat(p.send("echo", "warm").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("warm");
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> !Children.alive(pid));
    }
}
