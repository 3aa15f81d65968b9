package pulsar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/**
 * Benchmark 5: process-actor spawn-to-handshake latency, p50/p99 over {@code count} spawns,
 * against two references launched the same way in the same run (this JVM's java binary, the
 * exact JVM options of a process actor's command line read from /proc, the same class path):
 * {@link TrivialReadyMain} (prints ready) and {@link NettyReadyMain} (starts Netty, opens a
 * server socket, prints ready). The parent measures from {@code ProcessBuilder.start()} to the
 * ready line for the references, and from {@code Pulsar.spawn()} to the completed future for
 * the actor (handshake and {@code onStart} done). Each child is stopped, and its exit awaited,
 * before the next one starts.
 *
 * <p>Spawns and reference launches alternate (one of each in turn), so that the load of a shared
 * machine weighs on every side alike. A third reference is the Netty main without Logback
 * (SLF4J's no-op provider): a process actor loads no logging back-end either.
 *
 * <p>Three setups: no AOT cache ({@code aot_cache=off}) against the references with the same
 * options; a JDK 25 AOT cache ({@code aot_cache=<file>}, recorded by a first training child)
 * against references with AOT caches of their own, recorded the same way; and a warm spare
 * child ({@code spare_processes=1}, with the AOT cache), given time to warm up between spawns,
 * then awaited until the arbiter's {@code info} reports it warm.
 */
public final class ProcessSpawnBench {
    private ProcessSpawnBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = Bench.intSetting("process_spawns", 20);
        // BENCH_SPAWN_SETUPS: which setups to run (off, aot, spare), all by default
        String setups = Bench.stringSetting("spawn_setups", "off,aot,spare");
        int warm = 2;
        Bench.machine();
        Path dir = Files.createTempDirectory("pulsar-bench-aot", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Settings base = Bench.settings();
        String b = "5 process spawn";

        // The options of a process actor's command line, for the references
        Settings off = base.withAotCache("off");
        List<String> options = new ArrayList<>();
        pulsarSpawns(off, 0, 1, options, 0);
        Bench.log("process actor JVM options: %s", String.join(" ", options));

        // -- no AOT cache; spawns and reference launches interleaved (one of each in turn), so
        // that a change of load on this shared machine hits every side alike
        long[] trivialOff = null;
        if (setups.contains("off")) {
            long[][] r = interleaved(off, warm, count, List.of(Jvms.command(options, "TrivialReadyMain"),
                    Jvms.command(options, "NettyReadyMain"), Jvms.command(withoutLogback(options), "NettyReadyMain")));
            long[] pulsarOff = r[0];
            trivialOff = r[1];
            report("no AOT", pulsarOff, trivialOff, r[2]);
            Bench.log("no AOT: Netty main without Logback p50 %.1f ms p99 %.1f ms", ms(r[3], 50), ms(r[3], 99));
            Bench.result(b, "spawn p50, no AOT cache", "ms", ms(pulsarOff, 50), "trivial main", ms(trivialOff, 50), true, 2.0);
            Bench.result(b, "spawn p50, no AOT cache", "ms", ms(pulsarOff, 50), "Netty main", ms(r[2], 50), true, 0);
            Bench.result(b, "spawn p50, no AOT cache", "ms", ms(pulsarOff, 50), "Netty main, no Logback", ms(r[3], 50), true, 0);
            Bench.result(b, "spawn p99, no AOT cache", "ms", ms(pulsarOff, 99), "trivial main", ms(trivialOff, 99), true, 0);
        }

        if (Runtime.version().feature() < 25) {
            Bench.log("JDK %s: no AOT cache (needs JDK 25); skipping the AOT and spare rows", Runtime.version());
            finish(dir);
            return;
        }
        // -- with AOT caches: the actor's recorded by a training child, the references' by a training run each
        Path cache = dir.resolve("child.aot");
        Settings aot = base.withAotCache(cache.toString());
        trainActor(aot, cache);
        if (setups.contains("aot")) {
            List<String> trivialAotOptions = trainRef(options, "TrivialReadyMain", dir.resolve("trivial.aot"));
            List<String> nettyAotOptions = trainRef(options, "NettyReadyMain", dir.resolve("netty.aot"));
            List<String> bareAotOptions = trainRef(withoutLogback(options), "NettyReadyMain", dir.resolve("netty-bare.aot"));
            long[][] r = interleaved(aot, warm, count, List.of(Jvms.command(trivialAotOptions, "TrivialReadyMain"),
                    Jvms.command(nettyAotOptions, "NettyReadyMain"), Jvms.command(bareAotOptions, "NettyReadyMain")));
            long[] pulsarAot = r[0];
            long[] trivialAot = r[1];
            long[] nettyAot = r[2];
            long[] bareAot = r[3];
            report("AOT cache", pulsarAot, trivialAot, nettyAot);
            Bench.log("AOT cache: Netty main without Logback p50 %.1f ms p99 %.1f ms", ms(bareAot, 50), ms(bareAot, 99));
            Bench.result(b, "spawn p50, AOT cache", "ms", ms(pulsarAot, 50), "Netty main, no Logback (AOT)", ms(bareAot, 50), true, 1.2);
            if (trivialOff != null) {
                Bench.result(b, "spawn p50, AOT cache", "ms", ms(pulsarAot, 50), "trivial main (no AOT)", ms(trivialOff, 50), true, 2.0);
            }
            Bench.result(b, "spawn p50, AOT cache", "ms", ms(pulsarAot, 50), "trivial main (AOT)", ms(trivialAot, 50), true, 0);
            Bench.result(b, "spawn p50, AOT cache", "ms", ms(pulsarAot, 50), "Netty main (AOT)", ms(nettyAot, 50), true, 0);
            Bench.result(b, "spawn p99, AOT cache", "ms", ms(pulsarAot, 99), "trivial main (AOT)", ms(trivialAot, 99), true, 0);
        }

        // -- a warm spare child (with the AOT cache)
        if (setups.contains("spare")) {
            int spares = Math.max(5, count / 2);
            long[] pulsarSpare = pulsarSpawns(aot.withSpareProcesses(1), 1, spares, null, Bench.intSetting("spare_pause_ms", 3000));
            Bench.log("spare: p50 %.1f ms p99 %.1f ms over %d spawns", ms(pulsarSpare, 50), ms(pulsarSpare, 99), spares);
            Bench.absolute(b, "spawn p50 with a warm spare (spare_processes=1)", "ms", ms(pulsarSpare, 50), 15);
        }
        finish(dir);
    }

    /**
     * {@code options} for a minimal reference: SLF4J bound to its no-op provider, so that Netty's
     * logger factory does not start Logback (a process actor logs through its own small binding).
     */
    static List<String> withoutLogback(List<String> options) {
        List<String> o = new ArrayList<>(options);
        o.add("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider");
        o.add("-Dslf4j.internal.verbosity=WARN");
        return o;
    }

    private static void finish(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
        System.exit(0);
    }

    private static double ms(long[] samples, double p) {
        return Bench.percentileMicros(samples, p) / 1000;
    }

    private static void report(String setup, long[] pulsar, long[] trivial, long[] netty) {
        Bench.log("%s: pulsar p50 %.1f ms p99 %.1f ms | trivial main p50 %.1f ms p99 %.1f ms | Netty main p50 %.1f ms p99 %.1f ms",
                setup, ms(pulsar, 50), ms(pulsar, 99), ms(trivial, 50), ms(trivial, 99), ms(netty, 50), ms(netty, 99));
    }

    /**
     * Spawns {@code warm + count} process actors one after the other (the warm ones unmeasured),
     * stopping each and waiting for its exit. {@code optionsOut}, when given, receives the JVM
     * options of the first child's command line. {@code pauseMillis} is slept before each spawn
     * (a spare child needs time to warm up).
     */
    static long[] pulsarSpawns(Settings settings, int warm, int count, List<String> optionsOut, long pauseMillis) throws Exception {
        Bench.startArbiter(settings);
        long[] samples = new long[count];
        try {
            for (int i = -warm; i < count; i++) {
                if (pauseMillis > 0) {
                    Bench.sleep(pauseMillis);
                }
                if (settings.spareProcesses() > 0) {
                    awaitWarmSpare();
                }
                long t0 = System.nanoTime();
                ActorProxy p = Pulsar.spawn(Spawn.process().name("spawned")).join();
                long dt = System.nanoTime() - t0;
                long pid = Jvms.pid(p);
                if (optionsOut != null && optionsOut.isEmpty()) {
                    optionsOut.addAll(Jvms.jvmOptions(Jvms.commandLine(pid)));
                }
                Jvms.stopAndWait(p, pid);
                if (i >= 0) {
                    samples[i] = dt;
                }
            }
        } finally {
            Pulsar.arbiter().stop().join();
        }
        return samples;
    }

    /**
     * Waits until the arbiter's {@code info} reports a warm spare at the normal priority: the
     * goal is a spawn with a spare ready, and on a slow or busy machine the pause alone may not
     * be enough for one to warm up. Logs how long it waited beyond the pause.
     */
    @SuppressWarnings("unchecked")
    private static void awaitWarmSpare() {
        long t0 = System.nanoTime();
        long deadline = t0 + 60_000_000_000L;
        while (true) {
            List<Map<String, Object>> spares = (List<Map<String, Object>>) Pulsar.arbiter().info().get("spares");
            if (spares.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("warm")) && Boolean.FALSE.equals(s.get("low_priority")))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no warm spare after 60 s: " + spares);
            }
            Bench.sleep(10);
        }
        long waited = (System.nanoTime() - t0) / 1_000_000;
        if (waited > 20) {
            Bench.log("waited %d ms more for the spare to be warm", waited);
        }
    }

    /**
     * {@code warm + count} rounds, each a process-actor spawn (stopped and awaited) then one launch
     * of every reference command (closed and awaited), in one arbiter run; the warm rounds are not
     * measured. Returns the actor's samples first, then each reference's.
     */
    static long[][] interleaved(Settings settings, int warm, int count, List<List<String>> refs) throws Exception {
        long[][] samples = new long[1 + refs.size()][count];
        Bench.startArbiter(settings);
        try {
            for (int i = -warm; i < count; i++) {
                long t0 = System.nanoTime();
                ActorProxy p = Pulsar.spawn(Spawn.process().name("spawned")).join();
                long dt = System.nanoTime() - t0;
                Jvms.stopAndWait(p, Jvms.pid(p));
                if (i >= 0) {
                    samples[0][i] = dt;
                }
                for (int k = 0; k < refs.size(); k++) {
                    try (Jvms.Ready r = Jvms.Ready.launch(refs.get(k))) {
                        if (i >= 0) {
                            samples[1 + k][i] = r.nanos;
                        }
                    }
                }
            }
        } finally {
            Pulsar.arbiter().stop().join();
        }
        return samples;
    }

    /** One spawn with {@code settings} so that the child records the AOT cache {@code cache}; waits until it exists. */
    private static void trainActor(Settings settings, Path cache) throws Exception {
        Bench.startArbiter(settings);
        try {
            long t0 = System.nanoTime();
            ActorProxy p = Pulsar.spawn(Spawn.process().name("training")).join();
            long dt = System.nanoTime() - t0;
            Jvms.stopAndWait(p, Jvms.pid(p));
            for (int i = 0; i < 200 && !Files.isRegularFile(cache); i++) {
                Bench.sleep(50);
            }
            Bench.log("AOT training spawn took %.1f ms; cache %s: %s", dt / 1e6, cache,
                    Files.isRegularFile(cache) ? Files.size(cache) / 1024 + " KiB" : "NOT WRITTEN");
        } finally {
            Pulsar.arbiter().stop().join();
        }
    }

    /** Records an AOT cache for a reference main (one run, exits normally) and returns the options that use it. */
    static List<String> trainRef(List<String> options, String main, Path cache) throws Exception {
        List<String> training = new ArrayList<>(options);
        training.add("-Xlog:aot=off");
        training.add("-Xlog:cds=off");
        training.add("-XX:AOTCacheOutput=" + cache);
        try (Jvms.Ready r = Jvms.Ready.launch(Jvms.command(training, main))) {
            Bench.log("%s AOT training run: ready after %.1f ms", main, r.nanos / 1e6);
        }
        List<String> use = new ArrayList<>(options);
        use.add("-Xlog:aot=off");
        use.add("-Xlog:cds=off");
        use.add("-XX:AOTCache=" + cache);
        Bench.log("%s AOT cache: %s", main, Files.isRegularFile(cache) ? Files.size(cache) / 1024 + " KiB" : "NOT WRITTEN");
        return use;
    }

    /** Launches {@code main} {@code warm + count} times with {@code options}; each is closed before the next. */
    static long[] refLaunches(List<String> options, String main, int warm, int count) throws Exception {
        long[] samples = new long[count];
        List<String> cmd = Jvms.command(options, main);
        for (int i = -warm; i < count; i++) {
            try (Jvms.Ready r = Jvms.Ready.launch(cmd)) {
                if (i >= 0) {
                    samples[i] = r.nanos;
                }
            }
        }
        return samples;
    }
}
