package pulsar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;

/**
 * Benchmark 6: the RSS of an idle process actor with the default options (VmRSS of the child
 * pid that {@code info} reports, read from /proc/&lt;pid&gt;/status after the actor has been idle
 * for {@code idle} seconds), with and without a JDK 25 AOT cache; references: the trivial and
 * the Netty main of benchmark 5 launched with the same options, idle as long.
 */
public final class ProcessRssBench {
    private ProcessRssBench() {
    }

    public static void main(String[] args) throws Exception {
        int idleMillis = Bench.intSetting("idle_ms", 10000);
        Bench.machine();
        Path dir = Files.createTempDirectory("pulsar-bench-rss", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Settings base = Bench.settings();
        String b = "6 idle process actor RSS";

        Bench.startArbiter(base.withAotCache("off"));
        long[] off;
        List<String> options;
        try {
            ActorProxy p = Pulsar.spawn(Spawn.process().name("idle")).join();
            long pid = Jvms.pid(p);
            options = Jvms.jvmOptions(Jvms.commandLine(pid));
            Bench.sleep(idleMillis);
            off = memory(pid);
            Jvms.stopAndWait(p, pid);
        } finally {
            Pulsar.arbiter().stop().join();
        }
        long[] trivial;
        long[] netty;
        try (Jvms.Ready r = Jvms.Ready.launch(Jvms.command(options, "TrivialReadyMain"))) {
            Bench.sleep(idleMillis);
            trivial = memory(r.process.pid());
        }
        try (Jvms.Ready r = Jvms.Ready.launch(Jvms.command(options, "NettyReadyMain"))) {
            Bench.sleep(idleMillis);
            netty = memory(r.process.pid());
        }
        long[] bare;
        try (Jvms.Ready r = Jvms.Ready.launch(Jvms.command(ProcessSpawnBench.withoutLogback(options), "NettyReadyMain"))) {
            Bench.sleep(idleMillis);
            bare = memory(r.process.pid());
        }
        print("process actor, no AOT cache", off);
        print("trivial main", trivial);
        print("Netty main", netty);
        print("Netty main, no Logback", bare);
        Bench.result(b, "VmRSS, no AOT cache", "MiB", off[0] / 1024.0, "Netty main", netty[0] / 1024.0, true, 0);
        Bench.result(b, "VmRSS, no AOT cache", "MiB", off[0] / 1024.0, "trivial main", trivial[0] / 1024.0, true, 0);
        Bench.result(b, "VmRSS, no AOT cache", "MiB", off[0] / 1024.0, "Netty main, no Logback", bare[0] / 1024.0, true, 0);
        Bench.absolute(b, "VmRSS, no AOT cache", "MiB", off[0] / 1024.0, 56);

        if (Runtime.version().feature() >= 25) {
            Path cache = dir.resolve("child.aot");
            Settings aot = base.withAotCache(cache.toString());
            Bench.startArbiter(aot);
            try {
                ActorProxy t = Pulsar.spawn(Spawn.process().name("training")).join();
                Jvms.stopAndWait(t, Jvms.pid(t));
                for (int i = 0; i < 200 && !Files.isRegularFile(cache); i++) {
                    Bench.sleep(50);
                }
                ActorProxy p = Pulsar.spawn(Spawn.process().name("idle")).join();
                long pid = Jvms.pid(p);
                Bench.sleep(idleMillis);
                long[] withAot = memory(pid);
                Jvms.stopAndWait(p, pid);
                print("process actor, AOT cache", withAot);
                Bench.result(b, "VmRSS, AOT cache", "MiB", withAot[0] / 1024.0, "Netty main (no AOT)", netty[0] / 1024.0, true, 0);
                Bench.result(b, "VmRSS, AOT cache", "MiB", withAot[0] / 1024.0, "Netty main, no Logback (no AOT)", bare[0] / 1024.0, true, 0);
                Bench.absolute(b, "VmRSS, AOT cache (default aot_cache=auto)", "MiB", withAot[0] / 1024.0, 56);
                Bench.absolute(b, "RssAnon (private), AOT cache", "MiB", withAot[1] / 1024.0, 0);
            } finally {
                Pulsar.arbiter().stop().join();
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        Files.deleteIfExists(dir);
        System.exit(0);
    }

    /** VmRSS, RssAnon, RssFile, RssShmem (KiB) and Threads of a process. */
    private static long[] memory(long pid) {
        return new long[] {Bench.procStatus(pid, "VmRSS"), Bench.procStatus(pid, "RssAnon"), Bench.procStatus(pid, "RssFile"),
                Bench.procStatus(pid, "RssShmem"), Bench.procStatus(pid, "Threads")};
    }

    private static void print(String what, long[] m) {
        Bench.log("%-28s VmRSS %6.1f MiB (anon %6.1f, file %6.1f, shmem %4.1f), %d threads", what, m[0] / 1024.0,
                m[1] / 1024.0, m[2] / 1024.0, m[3] / 1024.0, m[4]);
    }
}
