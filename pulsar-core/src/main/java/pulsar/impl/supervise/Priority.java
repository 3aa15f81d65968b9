package pulsar.impl.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling priority of child JVMs (Linux): a spare boots at a raised niceness and gets the
 * normal one back when an actor takes it. Lowering a niceness again needs {@code CAP_SYS_NICE}
 * or a {@code RLIMIT_NICE} that allows 0, so spares are niced only where that holds.
 */
final class Priority {
    private static final Logger log = LoggerFactory.getLogger(Priority.class);
    static final String NICE = "/usr/bin/nice";
    private static final String RENICE = "/usr/bin/renice";
    /** {@code CAP_SYS_NICE}'s bit in {@code CapEff}. */
    private static final int CAP_SYS_NICE = 23;
    private static volatile Boolean canRestore;

    private Priority() {
    }

    /**
     * Whether a child of this JVM may lower its niceness back to 0: {@code nice} and
     * {@code renice} exist, and this process has {@code CAP_SYS_NICE} (children inherit it) or a
     * {@code RLIMIT_NICE} of 20 or more ({@code /proc/self/limits}).
     */
    static boolean canRestore() {
        Boolean b = canRestore;
        if (b == null) {
            canRestore = b = probe();
        }
        return b;
    }

    private static boolean probe() {
        try {
            if (!Files.isExecutable(Path.of(NICE)) || !Files.isExecutable(Path.of(RENICE))) {
                return false;
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    if ((caps & (1L << CAP_SYS_NICE)) != 0) {
                        return true;
                    }
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max nice priority")) {
                    String[] f = line.substring("Max nice priority".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") || Integer.parseInt(f[0]) >= 20;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot tell whether spares may be niced: {}", e.toString());
        }
        return false;
    }

    /**
     * Gives every thread of {@code process} niceness 0 again (Linux keeps a niceness per thread;
     * threads started later inherit their creator's). Blocks for the {@code renice} run.
     */
    static void restore(Process process) {
        List<String> cmd = new ArrayList<>(List.of(RENICE, "-n", "0", "-p"));
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            tasks.forEach(t -> cmd.add(t.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            cmd.add(Long.toString(process.pid()));
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            log.debug("cannot renice child JVM {}: {}", process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The niceness of thread (or process) {@code tid}, from {@code /proc/<tid>/stat}; for tests and checks. */
    static int niceness(long tid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(tid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]); // field 19 of stat; f[0] is field 3
    }
}
