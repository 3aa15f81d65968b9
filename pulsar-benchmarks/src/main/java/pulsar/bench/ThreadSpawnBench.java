package pulsar.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * Benchmark 4: thread-actor spawn-to-handshake latency and the memory of an idle thread actor.
 *
 * <p>Latency: {@code Pulsar.spawn(Spawn.thread()).join()} from the main thread, nanoTime around
 * each call, after warm-up spawns (which are stopped again); the spawned actors stay alive, so
 * the later spawns run beside up to {@code count} idle actors. Reference: starting a bare
 * platform thread and waiting until it runs (what any thread actor must pay at least).
 *
 * <p>Memory: after the warm-up actors are stopped, GC, then heap used, live threads and the
 * process RSS (/proc/self/status VmRSS) are read before and after spawning {@code count}
 * actors (idle for a second, then GC); the difference divided by {@code count} is what each
 * idle thread actor costs.
 */
public final class ThreadSpawnBench {
    private ThreadSpawnBench() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Bench.intSetting("warmup", 50);
        int count = Bench.intSetting("spawns", 200);
        Bench.machine();
        Bench.startArbiter(Bench.settings());
        long self = ProcessHandle.current().pid();

        List<ActorProxy> warm = new ArrayList<>();
        for (int i = 0; i < warmup; i++) {
            warm.add(Pulsar.spawn(Spawn.thread().name("warm")).join());
        }
        List<CompletableFuture<Object>> stops = new ArrayList<>();
        for (ActorProxy p : warm) {
            stops.add(Pulsar.send(p, "stop"));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        while (Pulsar.arbiter().actors().size() > 0) {
            Bench.sleep(50);
        }
        Bench.sleep(500);
        long[] threadRef = threadStartNanos(warmup, count);

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        Bench.settle();
        long heap0 = mem.getHeapMemoryUsage().getUsed();
        long nonHeap0 = mem.getNonHeapMemoryUsage().getUsed();
        long threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
        long rss0 = Bench.procStatus(self, "VmRSS");
        long fds0 = Bench.openFds();

        long[] samples = new long[count];
        List<ActorProxy> live = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            ActorProxy p = Pulsar.spawn(Spawn.thread().name("idle")).join();
            samples[i] = System.nanoTime() - t0;
            live.add(p);
        }
        Bench.sleep(1000);
        Bench.settle();
        long heap1 = mem.getHeapMemoryUsage().getUsed();
        long nonHeap1 = mem.getNonHeapMemoryUsage().getUsed();
        long threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
        long rss1 = Bench.procStatus(self, "VmRSS");
        long fds1 = Bench.openFds();

        String b = "4 thread spawn";
        double p50 = Bench.percentileMicros(samples, 50) / 1000;
        double p99 = Bench.percentileMicros(samples, 99) / 1000;
        double tp50 = Bench.percentileMicros(threadRef, 50) / 1000;
        double tp99 = Bench.percentileMicros(threadRef, 99) / 1000;
        Bench.log("spawn-to-handshake over %d spawns: p50 %.3f ms p99 %.3f ms max %.3f ms; bare thread start p50 %.3f ms",
                count, p50, p99, Bench.percentileMicros(samples, 100) / 1000, tp50);
        Bench.result(b, "spawn-to-handshake p50", "ms", p50, "bare Thread.start", tp50, true, 0);
        Bench.absolute(b, "spawn-to-handshake p50", "ms", p50, 2.0);
        Bench.absolute(b, "spawn-to-handshake p99", "ms", p99, 0);
        Bench.log("before: heap %d KiB, non-heap %d KiB, %d threads, RSS %d KiB, %d fds", heap0 / 1024, nonHeap0 / 1024, threads0, rss0, fds0);
        Bench.log("after %d idle actors: heap %d KiB, non-heap %d KiB, %d threads, RSS %d KiB, %d fds", count,
                heap1 / 1024, nonHeap1 / 1024, threads1, rss1, fds1);
        Bench.absolute(b, "heap per idle thread actor", "KiB", (heap1 - heap0) / 1024.0 / count, 0);
        Bench.absolute(b, "RSS per idle thread actor", "KiB", (rss1 - rss0) / (double) count, 0);
        Bench.absolute(b, "threads per idle thread actor", "threads", (threads1 - threads0) / (double) count, 0);
        Bench.absolute(b, "file descriptors per idle thread actor", "fds", (fds1 - fds0) / (double) count, 0);

        long t0 = System.nanoTime();
        Pulsar.arbiter().stop().join();
        Bench.log("arbiter stop with %d actors: %.1f ms", count, (System.nanoTime() - t0) / 1e6);
        System.exit(0);
    }

    /** Reference: start a platform thread and wait until it runs, {@code count} times. */
    private static long[] threadStartNanos(int warmup, int count) throws InterruptedException {
        long[] out = new long[count];
        for (int i = -warmup; i < count; i++) {
            CompletableFuture<Void> running = new CompletableFuture<>();
            long t0 = System.nanoTime();
            Thread t = new Thread(() -> running.complete(null));
            t.start();
            running.join();
            long dt = System.nanoTime() - t0;
            t.join();
            if (i >= 0) {
                out[i] = dt;
            }
        }
        return out;
    }
}
