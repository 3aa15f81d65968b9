package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.EventLoop;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.Spawn;
import pulsar.testkit.ActorContract;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.RedisCli;

/**
 * The actor contract for co-located thread actors ({@link Spawn#colocated()}). Where the
 * contract talks to the actor's own socket, a co-located actor has none: its address is the
 * arbiter's mailbox, which forwards {@code actor AID COMMAND ...}; those two tests are
 * rewritten here for that.
 */
class ColocatedActorContractTest extends ActorContract {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Override
    protected Spawn spec() {
        return Spawn.thread().colocated();
    }

    /**
     * A silent co-located actor (its code holds the shared loop) is stopped after its own
     * {@code timeout}, and killed after its grace: the kill interrupts its code on the loop, so
     * a loop-mate answers again and the loop goes on.
     */
    @Override
    @Test
    public void perActorTimeout_stopsASilentActor_andItsGraceKillsOneThatIgnoresTheStop() {
        ConcurrentLinkedQueue<ActorExit> exits = new ConcurrentLinkedQueue<>();
        EventLoop.Handle watch = Pulsar.arbiter().watch(new ActorListener() {
            @Override
            public void exited(ActorExit exit) {
                exits.add(exit);
            }
        });
        try {
            ActorProxy p = spawn(spec().timeout(Duration.ofSeconds(1)).stopGrace(Duration.ofMillis(500)));
            ActorProxy mate = spawn(spec().onLoopOf(p).name("mate"));
            long start = System.nanoTime();
            p.run((actor, args) -> {
                Thread.sleep(30_000);
                return null;
            });
            await().atMost(ArbiterExtension.deadline()).until(() -> exits.stream().anyMatch(e -> e.aid().equals(p.aid())));
            ActorExit exit = exits.stream().filter(e -> e.aid().equals(p.aid())).findFirst().orElseThrow();
            assertThat(exit.cause()).isEqualTo(ActorExit.Cause.KILLED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(failure(p.send("ping")).kind()).isEqualTo(FailureKind.NO_SUCH_ACTOR);
            assertThat(reply(mate.send("ping"))).isEqualTo("PONG");
            assertThat(exits).noneMatch(e -> e.aid().equals(mate.aid()));
        } finally {
            watch.cancel();
        }
    }

    /** redis-cli reaches a co-located actor through the arbiter's mailbox: {@code actor AID COMMAND ...}. */
    @Override
    @Test
    public void redisCli_isARealClient() throws Exception {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
        ActorProxy p = spawn(spec().name("cli"));
        int port = p.address().getPort();
        assertThat(port).isEqualTo(Pulsar.arbiter().address().getPort());
        assertThat(RedisCli.call(port, secret(), "whereis", p.aid())).isEqualTo("actor:127.0.0.1:" + port);
        assertThat(RedisCli.call(port, secret(), "actor", p.aid(), "ping")).isEqualTo("PONG");
        assertThat(RedisCli.call(port, secret(), "actor", p.aid(), "echo", "hi")).isEqualTo("hi");
        String info = RedisCli.call(port, secret(), "actor", p.aid(), "info");
        assertThat(info).contains("aid:" + p.aid()).contains("name:cli").contains("state:running").contains("colocated:");
        assertThat(RedisCli.call(port, secret(), "actor", p.aid(), "nosuch")).contains("ERR unknown command 'nosuch'");
        assertThat(RedisCli.call(port, secret(), "actor", "nobody", "ping")).contains("NOACTOR");
        assertThat(reply(p.send("ping"))).isEqualTo("PONG");
    }
}
