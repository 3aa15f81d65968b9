package pulsar.impl.actor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Settings;

/**
 * Starts and supervises process actors: child JVMs from this JVM's {@code java.home}, with this
 * JVM's class path, the {@code jvm_options} setting and the spec's own options. A JDK 25 AOT
 * cache is made by the first child and used by the next ones; warm spare children wait for
 * spawns when {@code spare_processes} asks for them. Called on the arbiter's loop.
 */
final class ProcessActors {
    private static final Logger log = LoggerFactory.getLogger(ProcessActors.class);
    private static final ArrayDeque<ChildProcess> SPARES = new ArrayDeque<>();
    private static final AtomicBoolean TRAINING = new AtomicBoolean();

    private ProcessActors() {
    }

    static void launch(ArbiterImpl arbiter, ActorRecord record) {
        Settings settings = arbiter.settings();
        String tag = record.aid + " " + record.name;
        try {
            ChildProcess child = record.spec.jvmOptions().isEmpty() ? takeSpare() : null;
            if (child != null) {
                child.retag(tag);
            } else {
                child = ChildProcess.start(command(settings, record.spec.jvmOptions(), false), tag);
                trainedBy(child);
            }
            record.process = child;
            record.pid = child.pid();
            ChildProcess c = child;
            child.process.onExit().thenAccept(p -> arbiter.executeIfRunning(() -> {
                int code = p.exitValue();
                String how = "exit code " + code;
                if (!record.future.isDone()) {
                    String tail = c.tail();
                    how += tail.isEmpty() ? "" : "; its last output:\n" + tail;
                }
                arbiter.onExit(record, how);
            }));
            child.sendSpec(new ChildSpec(record.aid, record.spec, arbiter.address().getHostString(),
                    arbiter.address().getPort(), arbiter.mailboxConfig.secret(), settings));
            replenish(settings);
        } catch (IOException | RuntimeException e) {
            log.error("cannot start the JVM of actor {}", record.aid, e);
            if (record.process != null) {
                record.process.process.destroyForcibly();
            }
            record.future.completeExceptionally(new IllegalStateException("cannot start a child JVM: " + e.getMessage(), e));
            arbiter.onExit(record, "not started");
        }
    }

    /** Asks the child to stop: the {@code stop} command once it has a mailbox, else end of input. */
    static CompletableFuture<Void> stop(ArbiterImpl arbiter, ActorRecord record) {
        ChildProcess child = record.process;
        if (record.address != null) {
            Dispatcher.send(record.proxy(), "stop").exceptionally(e -> {
                child.closeInput();
                return null;
            });
        } else {
            child.closeInput();
        }
        return child.process.onExit().thenApply(p -> null);
    }

    static void kill(ArbiterImpl arbiter, ActorRecord record) {
        if (record.process.process.isAlive()) {
            log.warn("actor {} ({}) did not stop within {} ms: killing pid {}", record.aid, record.name,
                    arbiter.settings().stopGrace().toMillis(), record.pid);
            record.process.process.destroyForcibly();
        }
    }

    /** The command line of a child JVM (the spec travels on standard input, never here). */
    static List<String> command(Settings settings, List<String> extra, boolean spare) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : settings.jvmOptions().split("\\s+")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String classPath = System.getProperty("java.class.path");
        cmd.addAll(aotOptions(settings, classPath, extra));
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ChildMain.class.getName());
        if (spare) {
            cmd.add("--spare");
        }
        return cmd;
    }

    /** Where a training child writes its cache, and where the cache goes once it is complete. */
    private record Training(Path tmp, Path cache) {
    }

    private static volatile Training pending;

    /**
     * JDK 25+: use the AOT cache for this class path and these options when it exists; when it
     * does not, let this child record one (written when it exits) unless another is at it. A
     * class path with directories (a build's classes/) cannot be cached, so it is left alone.
     */
    private static List<String> aotOptions(Settings settings, String classPath, List<String> extra) {
        String mode = settings.aotCache();
        if (mode.equals("off") || Runtime.version().feature() < 25) {
            return List.of();
        }
        Path cache;
        if (mode.equals("auto")) {
            for (String entry : classPath.split(java.io.File.pathSeparator)) {
                if (Files.isDirectory(Path.of(entry))) {
                    return List.of();
                }
            }
            String key = System.getProperty("java.home") + Runtime.version() + classPath + settings.jvmOptions() + extra;
            cache = Path.of(System.getProperty("user.home"), ".pulsar", "aot", "child-" + sha(key) + ".aot");
        } else {
            cache = Path.of(mode);
        }
        // A stale or unusable cache is not worth a warning on every child's stderr.
        List<String> o = new ArrayList<>(List.of("-Xlog:aot=off", "-Xlog:cds=off"));
        if (Files.isRegularFile(cache)) {
            o.add("-XX:AOTCache=" + cache);
            return o;
        }
        if (!TRAINING.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Files.createDirectories(cache.getParent());
        } catch (IOException e) {
            TRAINING.set(false);
            return List.of();
        }
        Path tmp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        log.info("child JVMs: recording an AOT cache in {} (used from the next spawns on)", cache);
        pending = new Training(tmp, cache);
        o.add("-XX:AOTCacheOutput=" + tmp);
        return o;
    }

    /** Called once the training child has exited: it has written the cache by then, or failed to. */
    private static void finishTraining(Training t) {
        try {
            if (Files.isRegularFile(t.tmp()) && Files.size(t.tmp()) > 0) {
                Files.move(t.tmp(), t.cache(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("child JVMs: AOT cache ready in {}", t.cache());
            }
            Files.deleteIfExists(t.tmp());
            Files.deleteIfExists(t.tmp().resolveSibling(t.tmp().getFileName() + ".config"));
        } catch (IOException e) {
            log.debug("AOT cache not recorded: {}", e.toString());
        } finally {
            TRAINING.set(false);
        }
    }

    /** Binds a pending training run to the child that does it. */
    private static void trainedBy(ChildProcess child) {
        Training t = pending;
        if (t != null) {
            pending = null;
            child.process.onExit().thenRun(() -> finishTraining(t));
        }
    }

    private static String sha(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(d, 8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized ChildProcess takeSpare() {
        while (!SPARES.isEmpty()) {
            ChildProcess c = SPARES.pollFirst();
            if (c.process.isAlive()) {
                return c;
            }
        }
        return null;
    }

    /** Tops the spare pool up to {@code spare_processes}. */
    static synchronized void replenish(Settings settings) {
        SPARES.removeIf(c -> !c.process.isAlive());
        while (SPARES.size() < settings.spareProcesses()) {
            try {
                ChildProcess spare = ChildProcess.start(command(settings, List.of(), true), "spare");
                trainedBy(spare);
                SPARES.add(spare);
            } catch (IOException e) {
                log.warn("cannot start a spare child JVM: {}", e.toString());
                return;
            }
        }
    }

    /** Ends every spare child (the arbiter is stopping); completes when they have exited. */
    static synchronized CompletableFuture<Void> closeSpares() {
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (ChildProcess c : SPARES) {
            c.closeInput();
            c.process.destroy();
            exits.add(c.process.onExit());
        }
        SPARES.clear();
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    }
}
