package pulsar.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Benchmark 12 (issue 10): many idle co-located actors in one JVM, and what each costs.
 *
 * <p>Reference, same run: {@code BENCH_THREAD_ACTORS} (200) idle thread actors (a thread,
 * a loop and a mailbox socket each), measured the same way. Then {@code BENCH_ACTORS}
 * (100,000) co-located actors ({@code Spawn.thread().colocated()}), spawned
 * {@code BENCH_SPAWN_WINDOW} (1,000) at a time; after {@code BENCH_IDLE_MS} idle and three
 * GCs: heap, RSS, threads and file descriptors per actor, the CPU the idle JVM uses (the
 * arbiter's supervision tick over every record, the shared loops' beats), a ping to every
 * actor, and the arbiter's stop of them all.
 */
public final class IdleActorsBench {
    private IdleActorsBench() {
    }

    private record Snapshot(long heap, long rss, long threads, long fds, long cpuNanos) {
        static Snapshot take(MemoryMXBean mem) {
            long self = ProcessHandle.current().pid();
            return new Snapshot(mem.getHeapMemoryUsage().getUsed(), Bench.procStatus(self, "VmRSS"),
                    ManagementFactory.getThreadMXBean().getThreadCount(), Bench.openFds(),
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime());
        }
    }

    public static void main(String[] args) throws Exception {
        int threadActors = Bench.intSetting("thread_actors", 200);
        int count = Bench.intSetting("actors", 100_000);
        int window = Bench.intSetting("spawn_window", 1_000);
        int idleMs = Bench.intSetting("idle_ms", 3_000);
        Bench.machine();
        Bench.startArbiter(Bench.settings());
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        String b = "12 idle co-located actors";

        // warm-up: a few of each kind, stopped again
        spawnAll(Spawn.thread().name("warm"), 50, 50);
        stopAll();
        spawnAll(Spawn.thread().colocated().name("warm"), 2_000, window);
        stopAll();

        // reference: thread actors
        Bench.settle();
        Snapshot t0 = Snapshot.take(mem);
        spawnAll(Spawn.thread().name("idle-thread"), threadActors, 50);
        Bench.sleep(1000);
        Bench.settle();
        Snapshot t1 = Snapshot.take(mem);
        double threadHeap = (t1.heap - t0.heap) / 1024.0 / threadActors;
        double threadRss = (t1.rss - t0.rss) / (double) threadActors;
        Bench.log("%d idle thread actors: heap %.1f KiB, RSS %.1f KiB, %.2f threads, %.2f fds each", threadActors,
                threadHeap, threadRss, (t1.threads - t0.threads) / (double) threadActors, (t1.fds - t0.fds) / (double) threadActors);
        stopAll();

        // co-located actors
        Bench.settle();
        Snapshot c0 = Snapshot.take(mem);
        long spawnStart = System.nanoTime();
        List<ActorProxy> actors = spawnAll(Spawn.thread().colocated().name("idle"), count, window);
        double spawnSeconds = (System.nanoTime() - spawnStart) / 1e9;
        Bench.log("spawned %,d co-located actors in %.1f s (%,.0f spawns/s)", count, spawnSeconds, count / spawnSeconds);
        Bench.sleep(1000);
        Bench.settle();
        Snapshot idle0 = Snapshot.take(mem);
        Bench.sleep(idleMs);
        Snapshot idle1 = Snapshot.take(mem);
        Bench.settle();
        Snapshot c1 = Snapshot.take(mem);
        double heapEach = (c1.heap - c0.heap) / (double) count;
        double rssEach = (c1.rss - c0.rss) * 1024.0 / count;
        double idleCpu = (idle1.cpuNanos - idle0.cpuNanos) / 1e9 / (idleMs / 1000.0);
        Bench.log("before: heap %d KiB, RSS %d KiB, %d threads, %d fds; after %,d idle co-located actors: heap %d KiB, RSS %d KiB, %d threads, %d fds",
                c0.heap / 1024, c0.rss, c0.threads, c0.fds, count, c1.heap / 1024, c1.rss, c1.threads, c1.fds);
        Bench.log("idle CPU with %,d actors: %.1f %% of a core over %d ms", count, idleCpu * 100, idleMs);

        long pingStart = System.nanoTime();
        int pinged = pingAll(actors, window);
        double pingSeconds = (System.nanoTime() - pingStart) / 1e9;
        Bench.log("pinged %,d of %,d actors in %.2f s", pinged, count, pingSeconds);

        // the goal of issue 10: this many idle co-located actors in one JVM, every one answering
        Bench.result(b, "idle co-located actors alive (ping answered)", "actors", pinged, "spawned", count, false, 1.0);
        Bench.result(b, "heap per idle actor", "B", heapEach, "thread actor, same run", threadHeap * 1024, true, 0);
        Bench.result(b, "RSS per idle actor", "B", rssEach, "thread actor, same run", threadRss * 1024, true, 0);
        Bench.absolute(b, "threads per idle actor", "threads", (c1.threads - c0.threads) / (double) count, 0);
        Bench.absolute(b, "file descriptors per idle actor", "fds", (c1.fds - c0.fds) / (double) count, 0);
        Bench.absolute(b, "spawn rate", "spawns/s", count / spawnSeconds, 0);
        Bench.absolute(b, "idle CPU of the JVM", "% of a core", idleCpu * 100, 0);

        long stopStart = System.nanoTime();
        Pulsar.arbiter().stop().get(5, TimeUnit.MINUTES);
        double stopMs = (System.nanoTime() - stopStart) / 1e6;
        Bench.log("arbiter stop with %,d co-located actors: %.0f ms", count, stopMs);
        Bench.absolute(b, "arbiter stop of all", "ms", stopMs, 0);
        System.exit(pinged == count ? 0 : 1);
    }

    private static List<ActorProxy> spawnAll(Spawn spec, int count, int window) {
        List<ActorProxy> out = new ArrayList<>(count);
        List<CompletableFuture<ActorProxy>> batch = new ArrayList<>(window);
        for (int i = 0; i < count; i++) {
            batch.add(Pulsar.spawn(spec));
            if (batch.size() == window || i == count - 1) {
                for (CompletableFuture<ActorProxy> f : batch) {
                    out.add(f.orTimeout(2, TimeUnit.MINUTES).join());
                }
                batch.clear();
            }
        }
        return out;
    }

    private static int pingAll(List<ActorProxy> actors, int window) {
        int ok = 0;
        List<CompletableFuture<Object>> batch = new ArrayList<>(window);
        for (int i = 0; i < actors.size(); i++) {
            batch.add(actors.get(i).send("ping"));
            if (batch.size() == window || i == actors.size() - 1) {
                for (CompletableFuture<Object> f : batch) {
                    if ("PONG".equals(f.orTimeout(1, TimeUnit.MINUTES).join())) {
                        ok++;
                    }
                }
                batch.clear();
            }
        }
        return ok;
    }

    private static void stopAll() {
        List<CompletableFuture<Object>> stops = new ArrayList<>();
        for (ActorProxy p : Pulsar.arbiter().actors()) {
            stops.add(Pulsar.send("arbiter", "kill_actor", p.aid()));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).orTimeout(2, TimeUnit.MINUTES).join();
        while (!Pulsar.arbiter().actors().isEmpty()) {
            Bench.sleep(50);
        }
        Bench.sleep(300);
    }
}
