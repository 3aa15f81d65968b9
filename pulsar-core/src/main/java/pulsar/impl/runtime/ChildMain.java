package pulsar.impl.runtime;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.ChildSpec;
import pulsar.impl.actor.ManagedActor;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.MailboxConfig;

/**
 * The main class of a process actor's JVM. It reads its {@link ChildSpec} from standard input,
 * runs the actor's loop on the main thread and exits when the actor stops. It never outlives
 * its parent: end of standard input, or the parent process ending, stops it at once and halts
 * it shortly after if the stop hangs.
 */
public final class ChildMain {
    private static final long HALT_AFTER_MS = 1500;
    /** What a spare prints once warm (the parent's {@code ChildProcess.SPARE_READY}). */
    static final String SPARE_READY = "pulsar-spare-ready";

    private ChildMain() {
    }

    /** Entry point; {@code --spare} warms up before waiting for the spec. */
    public static void main(String[] args) {
        ChildLogging.install(); // before anything logs: no logging back-end in a child
        DataInputStream in = new DataInputStream(System.in);
        boolean spare = args.length > 0 && args[0].equals("--spare");
        var current = new java.util.concurrent.atomic.AtomicReference<ManagedActor>();
        watchParentProcess(current);
        if (spare) {
            SpareWarmUp.run();
            System.out.println(SPARE_READY); // the parent gives it the normal priority back
            System.out.flush();
        }
        ChildSpec spec;
        try {
            spec = ChildSpec.readFrom(in);
        } catch (java.io.EOFException e) {
            System.exit(0); // a spare that was never used
            return;
        } catch (Throwable t) {
            System.err.println("pulsar child: cannot read its spawn spec: " + t);
            t.printStackTrace();
            System.exit(2);
            return;
        }
        MailboxConfig config = MailboxConfig.of(spec.settings(), spec.secret());
        PulsarRuntime runtime = PulsarRuntime.get();
        InetSocketAddress manager = new InetSocketAddress(spec.managerHost(), spec.managerPort());
        runtime.dispatcher().useRemoteArbiter(manager, config);
        ActorProxyImpl arbiter = new ActorProxyImpl("arbiter", "arbiter", manager);
        ManagedActor actor = new ManagedActor(spec.aid(), spec.age(), spec.spawn(), arbiter, spec.settings(), config, runtime.services());
        String name = spec.spawn().name() == null ? "process" : spec.spawn().name();
        EventLoopImpl loop = EventLoopImpl.forCallingThread("pulsar-" + name + "-" + spec.aid());
        current.set(actor);
        actor.attach(loop);
        watchStandardInput(in, actor);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: stop gracefully (onStop runs once) within the grace period.
            try {
                actor.stop().get(spec.settings().stopGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "pulsar-child-shutdown"));
        loop.runInCallingThread();
        System.exit(0);
    }

    /** The parent holds our standard input open; its end means the parent is gone. */
    private static void watchStandardInput(DataInputStream in, ManagedActor actor) {
        Thread t = new Thread(() -> {
            try {
                while (in.read() != -1) {
                    // nothing else is sent after the spec
                }
            } catch (java.io.IOException ignored) {
                // treated as end of input
            }
            orphaned(actor, "standard input closed");
        }, "pulsar-child-stdin");
        t.setDaemon(true);
        t.start();
    }

    private static void watchParentProcess(java.util.concurrent.atomic.AtomicReference<ManagedActor> current) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> orphaned(current.get(), "parent process ended")));
    }

    private static void orphaned(ManagedActor actor, String why) {
        System.err.println("pulsar child: " + why + ": stopping");
        if (actor != null) {
            actor.stop();
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                // halting now
            }
            Runtime.getRuntime().halt(3);
        }, "pulsar-child-halt");
        halt.setDaemon(true);
        halt.start();
        if (actor == null) {
            Runtime.getRuntime().halt(3);
        }
    }
}
