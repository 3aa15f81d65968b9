package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorFunction;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.impl.runtime.PulsarRuntime;
import pulsar.testkit.ArbiterExtension;

/** A send to an actor of this JVM skips the socket and gives the very results and errors the socket gives. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SameJvmPathTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    record Money(long cents, String currency) implements Serializable {
    }

    private static Object outcome(CompletableFuture<Object> f) {
        try {
            return f.orTimeout(20, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            return c instanceof PulsarException p ? "failure " + p.kind() + " " + p.getMessage() : "failure " + c;
        }
    }

    @Test
    void localAndSocketPaths_agreeOnValuesAndErrors() {
        ActorProxy p = Pulsar.spawn(Spawn.thread()).orTimeout(30, TimeUnit.SECONDS).join();
        ActorFunction<Object> fails = (actor, args) -> {
            throw new IllegalStateException("bad " + args);
        };
        ActorFunction<Object> nested = (actor, args) -> Map.of("list", List.of(1, 2.5f), "n", 7);
        List<Object[]> calls = List.of(
                new Object[] {"echo", 5}, new Object[] {"echo", 2.5f}, new Object[] {"echo", "text"},
                new Object[] {"echo", true}, new Object[] {"echo", List.of(1, "a", List.of(2))},
                new Object[] {"echo", Map.of("k", 1)}, new Object[] {"echo", new Money(250, "EUR")},
                new Object[] {"echo", new byte[] {1, 2, 3}}, new Object[] {"ping"}, new Object[] {"nosuch", 1},
                new Object[] {"run", fails, 1}, new Object[] {"run", nested}, new Object[] {"echo"});
        for (Object[] call : calls) {
            String command = (String) call[0];
            Object[] args = java.util.Arrays.copyOfRange(call, 1, call.length);
            Object local = outcome(Pulsar.send(p, command, args));
            Object socket = outcome(PulsarRuntime.get().dispatcher().sendBySocket(p.address(), command, args));
            if (local instanceof byte[] b) {
                assertThat(socket).isInstanceOf(byte[].class);
                assertThat((byte[]) socket).containsExactly(b);
            } else {
                assertThat(local).as("%s %s", command, java.util.Arrays.toString(args)).isEqualTo(socket);
            }
        }
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void localPath_copiesArguments_soActorsShareNoState() {
        ActorProxy p = Pulsar.spawn(Spawn.thread()).orTimeout(30, TimeUnit.SECONDS).join();
        java.util.ArrayList<Object> mine = new java.util.ArrayList<>(List.of("a"));
        Object echoed = Pulsar.send(p, "echo", mine).orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(echoed).isEqualTo(mine).isNotSameAs(mine);
        p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
    }
}
