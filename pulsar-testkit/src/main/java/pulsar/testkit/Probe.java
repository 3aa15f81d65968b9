package pulsar.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.Actor;
import pulsar.Command;
import pulsar.Pulsar;

/**
 * Records what happened inside actors, per aid, in the JVM the actor runs in: hooks write
 * events here, and the contract reads them back with {@code run} (so it works for actors in
 * child JVMs too). Also declares the commands the contract uses to test {@link Command}.
 */
public final class Probe {
    private static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();

    private Probe() {
    }

    /** Records {@code event} for the current actor, with whether {@code Pulsar.getActor()} was it. */
    public static void record(Actor actor, String event) {
        Actor current = Pulsar.getActor();
        String suffix = current == actor ? "" : "(getActor=" + (current == null ? "null" : current.aid()) + ")";
        EVENTS.computeIfAbsent(actor.aid(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(event + suffix);
    }

    /** The events recorded for {@code aid} in this JVM. */
    public static List<String> events(String aid) {
        List<String> e = EVENTS.get(aid);
        return e == null ? List.of() : List.copyOf(e);
    }

    /** A custom command found by class-path scanning: {@code greet name}. */
    @Command("greet")
    public static String greet(Actor actor, String who) {
        return "hello " + who + " from " + actor.aid();
    }

    /** A custom command with numbers: {@code add a b}. */
    @Command
    public static long add(long a, long b) {
        return a + b;
    }

    /** A custom command that fails. */
    @Command("fail_on_purpose")
    public static Object failOnPurpose(Actor actor, List<Object> args) {
        throw new IllegalStateException("failed on purpose with " + args);
    }
}
