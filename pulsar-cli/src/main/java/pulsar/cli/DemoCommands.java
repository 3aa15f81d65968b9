package pulsar.cli;

import java.util.List;
import pulsar.Actor;
import pulsar.ActorFunction;
import pulsar.Command;

/**
 * What the demo sends to its actors: a custom command ({@code greet}) that every actor, thread or
 * process, knows without wiring (found on the class path by its annotation), and a function for
 * the {@code run} command.
 */
public final class DemoCommands {
    private DemoCommands() {
    }

    /**
     * {@code greet WHO}: a custom command. Try {@code redis-cli -p PORT -a SECRET greet you}.
     *
     * @return a greeting naming the actor and its process
     */
    @Command("greet")
    public static String greet(Actor actor, String who) {
        return "hello " + who + ", from " + actor.name() + " (aid " + actor.aid() + ", "
                + actor.concurrency().wireName() + ", pid " + ProcessHandle.current().pid() + ")";
    }

    /**
     * A function for {@code run}: adds its arguments where it runs and says where that was.
     * A serializable lambda, so it reaches a child JVM as well as a thread.
     */
    static ActorFunction<String> sumWhereYouRun() {
        return (actor, args) -> {
            long sum = 0;
            for (Object a : args) {
                sum += ((Number) a).longValue();
            }
            return join(args) + " = " + sum + ", computed by " + actor.name() + " on thread '"
                    + Thread.currentThread().getName() + "' in pid " + ProcessHandle.current().pid();
        };
    }

    private static String join(List<Object> args) {
        StringBuilder b = new StringBuilder();
        for (Object a : args) {
            b.append(b.isEmpty() ? "" : " + ").append(a);
        }
        return b.toString();
    }
}
