package pulsar.examples;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.Command;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Commands of your own: a public static method annotated with {@link Command} becomes a command
 * of every actor, thread or process, with no wiring (the class path is scanned for the annotation
 * the first time an actor meets a command it does not know). Call it with {@link Pulsar#send}
 * or from any Redis client: {@code redis-cli -p PORT -a SECRET add 2 40}.
 * <pre>
 * java -cp "pulsar-examples/target/classes:pulsar-examples/target/lib/*" pulsar.examples.CustomCommand
 * </pre>
 */
public final class CustomCommand {
    private CustomCommand() {
    }

    /** {@code add A B}: arguments are converted to the parameter types (redis-cli sends strings). */
    @Command("add")
    public static long add(long a, long b) {
        return a + b;
    }

    /** {@code whoami}: a command may take the actor running it first; a map travels as a RESP map. */
    @Command("whoami")
    public static Map<String, Object> whoami(Actor actor) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("aid", actor.aid());
        me.put("name", actor.name());
        me.put("kind", actor.concurrency().wireName());
        me.put("thread", Thread.currentThread().getName());
        return me;
    }

    /** {@code shout TEXT MILLIS}: replies later without blocking the actor's loop, by returning a stage. */
    @Command("shout")
    public static CompletionStage<String> shout(Actor actor, String text, long millis) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        actor.loop().callLater(Duration.ofMillis(millis), () -> reply.complete(text.toUpperCase(Locale.ROOT) + "!"));
        return reply;
    }

    /** Starts the arbiter, calls the commands on a thread actor, stops. */
    public static void main(String[] args) throws Exception {
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        try {
            ActorProxy calc = Pulsar.spawn(Spawn.thread().name("calc")).get(30, TimeUnit.SECONDS);
            CompletableFuture<Object> slow = Pulsar.send(calc, "shout", "done", 200);
            System.out.println("add 2 40  -> " + Pulsar.send(calc, "add", 2, 40).get(10, TimeUnit.SECONDS));
            System.out.println("whoami    -> " + Pulsar.send(calc.aid(), "whoami").get(10, TimeUnit.SECONDS));
            System.out.println("shout     -> " + slow.get(10, TimeUnit.SECONDS) + " (sent first, answered last)");
            try {
                Pulsar.send(calc, "add", "two", 40).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println("add two 40 -> " + e.getCause().getMessage());
            }
            System.out.println("same from redis-cli: redis-cli -p " + calc.address().getPort()
                    + " -a \"$(cat ~/.pulsar/secret)\" add 2 40");
        } finally {
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        }
    }
}
