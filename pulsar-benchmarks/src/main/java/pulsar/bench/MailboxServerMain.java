package pulsar.bench;

import java.io.IOException;
import java.io.InputStream;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/**
 * Benchmark 1, the actor side: starts the arbiter with the secret file given as first argument,
 * spawns one thread actor, prints {@code PORT <port>} and waits until standard input closes, so
 * {@code redis-benchmark} can be pointed at the actor's mailbox by {@code run.sh}.
 */
public final class MailboxServerMain {
    private MailboxServerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MailboxServerMain SECRET_FILE");
            System.exit(2);
        }
        Settings settings = Settings.fromEnvironment().withSecretFile(args[0]);
        Bench.startArbiter(settings);
        ActorProxy actor = Pulsar.spawn(Spawn.thread().name("redis-bench")).join();
        System.out.println("PORT " + actor.address().getPort());
        System.out.flush();
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // wait for EOF: the script closes our stdin when it is done
        }
        Pulsar.arbiter().stop().join();
        System.exit(0);
    }
}
