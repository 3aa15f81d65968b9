package pulsar.examples;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.Command;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Two thread actors, {@code ping} and {@code pong}, hit a ball back and forth: the {@code ball}
 * command, run by one actor, sends the ball to the other actor, until no hits remain. Every hit
 * is a real send between two actors of this JVM, each on its own event loop; nothing blocks.
 * <pre>
 * java -cp "pulsar-examples/target/classes:pulsar-examples/target/lib/*" pulsar.examples.PingPong 10000
 * </pre>
 */
public final class PingPong {
    private PingPong() {
    }

    /**
     * {@code ball OTHER REMAINING}: hits the ball to the actor {@code OTHER}, which hits it back,
     * until {@code REMAINING} reaches 0. Replies (without blocking the loop) when the rally ends.
     */
    @Command("ball")
    public static CompletionStage<Object> ball(Actor actor, String other, long remaining) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(actor.name() + " caught the last ball");
        }
        return Pulsar.send(other, "ball", actor.aid(), remaining - 1);
    }

    /** Starts the arbiter, plays a rally of {@code args[0]} hits (default 1000), stops. */
    public static void main(String[] args) throws Exception {
        long hits = args.length > 0 ? Long.parseLong(args[0]) : 1000;
        // Optional: an unknown command is looked up on the class path anyway. Registering it
        // explicitly also works where the class path cannot be scanned (e.g. inside Maven).
        Pulsar.registerCommands(PingPong.class);
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        try {
            ActorProxy ping = Pulsar.spawn(Spawn.thread().name("ping")).get(30, TimeUnit.SECONDS);
            ActorProxy pong = Pulsar.spawn(Spawn.thread().name("pong")).get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            Object last = Pulsar.send(ping, "ball", pong.aid(), hits).get(60, TimeUnit.SECONDS);
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "%d hits between ping and pong in %.1f ms (%.0f hits/s): %s%n",
                    hits, ms, hits / (ms / 1000), last);
        } finally {
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        }
    }
}
