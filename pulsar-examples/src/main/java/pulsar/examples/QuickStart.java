package pulsar.examples;

import java.util.concurrent.TimeUnit;
import pulsar.*;

/**
 * The README's quick start, kept here so that it compiles and runs in CI: an arbiter, a thread
 * actor and a process actor, a ping, a custom command and a function run in the child JVM.
 */
public final class QuickStart {
    private QuickStart() {
    }

    /** {@code greet WHO}: known to every actor, found on the class path by its annotation. */
    @Command("greet")                       // a command of every actor, thread or process
    public static String greet(Actor actor, String who) {
        return "hello " + who + " from " + actor.name();
    }

    /** Starts the arbiter, spawns a thread and a process actor, talks to them, stops. */
    public static void main(String[] args) throws Exception {
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        try {
            ActorProxy worker = Pulsar.spawn(Spawn.thread().name("worker")
                    .onStart(actor -> System.out.println(actor.name() + " listens on " + actor.address())))
                    .get(30, TimeUnit.SECONDS);
            ActorProxy child = Pulsar.spawn(Spawn.process().name("child")).get(30, TimeUnit.SECONDS);

            System.out.println(worker.send("ping").get());                  // PONG
            System.out.println(child.send("greet", "you").get());           // hello you from child
            System.out.println(child.run((actor, a) -> ProcessHandle.current().pid()).get()); // the child's pid
        } finally {
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);              // every actor stops
        }
    }
}
