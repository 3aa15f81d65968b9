package pulsar.tests;

import java.util.concurrent.TimeUnit;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/** An arbiter in a JVM of its own, for the orphan test: prints its children's pids, then waits. */
public final class ArbiterMain {
    private ArbiterMain() {
    }

    public static void main(String[] args) throws Exception {
        Pulsar.arbiter().configure(Settings.defaults().withSecretFile(args[0]));
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 2; i++) {
            ActorProxy p = Pulsar.spawn(Spawn.process()).get(30, TimeUnit.SECONDS);
            @SuppressWarnings("unchecked")
            var info = (java.util.Map<String, Object>) p.send("info").get(10, TimeUnit.SECONDS);
            System.out.println("CHILD " + info.get("pid"));
        }
        System.out.println("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
