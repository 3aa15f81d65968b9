package pulsar.impl.supervise;

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
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Settings;
import pulsar.impl.actor.ChildSpec;
import pulsar.impl.mailbox.Dispatcher;

/**
 * Starts process actors: child JVMs from this JVM's {@code java.home}, with this JVM's class
 * path, the actor's {@code jvm_options} and the spec's own options. A JDK 25 AOT cache is made
 * by the first child and used by the next ones; warm spare children wait for spawns when
 * {@code spare_processes} asks for them. One per JVM, owned by its runtime.
 */
public final class ProcessLauncher implements Launcher {
    private static final Logger log = LoggerFactory.getLogger(ProcessLauncher.class);
    private final ArrayDeque<ChildProcess> spares = new ArrayDeque<>();
    private final AtomicBoolean training = new AtomicBoolean();
    private final Dispatcher dispatcher;
    private final String mainClass;
    private volatile Settings spareSettings;

    /**
     * A launcher of child JVMs that run {@code mainClass} (which reads a {@code ChildSpec} from
     * standard input); stops are sent through {@code dispatcher}.
     */
    public ProcessLauncher(Dispatcher dispatcher, String mainClass) {
        this.dispatcher = dispatcher;
        this.mainClass = mainClass;
    }

    @Override
    public LaunchedActor launch(LaunchRequest r) throws IOException {
        Settings settings = r.settings();
        String tag = r.aid() + " " + (r.spec().name() == null ? "process" : r.spec().name());
        boolean plain = r.spec().jvmOptions().isEmpty() && spareSettings != null
                && settings.jvmOptions().equals(spareSettings.jvmOptions());
        ChildProcess spare = plain ? takeSpare() : null;
        ChildProcess child;
        if (spare != null) {
            child = spare;
            child.retag(tag);
        } else {
            child = ChildProcess.start(command(settings, r.spec().jvmOptions(), false), tag);
            trainedBy(child);
        }
        child.exited().thenAccept(code -> r.onExit().accept(new ExitNotice(OptionalInt.of(code), "exit code " + code, child.tail())));
        try {
            child.sendSpec(new ChildSpec(r.aid(), r.age(), r.spec(), r.manager().address().getHostString(),
                    r.manager().address().getPort(), r.config().secret(), settings));
        } catch (IOException e) {
            // The child is already gone (a bad JVM option, say): its exit, with its own output,
            // tells the spawn why; nothing more to report here.
            log.debug("actor {}: the child JVM took no spec: {}", r.aid(), e.toString());
        }
        return new LaunchedActor() {
            @Override
            public long pid() {
                return child.pid();
            }

            @Override
            public CompletableFuture<Void> stop(InetSocketAddress mailbox) {
                if (mailbox != null) {
                    dispatcher.send(mailbox, "stop").exceptionally(e -> {
                        child.closeInput();
                        return null;
                    });
                } else {
                    child.closeInput();
                }
                return child.process.onExit().thenApply(p -> null);
            }

            @Override
            public void kill() {
                if (child.process.isAlive()) {
                    log.warn("actor {} did not stop in time: killing pid {}", r.aid(), child.pid());
                    child.process.destroyForcibly();
                }
            }

            @Override
            public boolean isAlive() {
                return child.process.isAlive();
            }
        };
    }

    @Override
    public void prepare(Settings settings) {
        spareSettings = settings;
        replenish();
    }

    /** Tops the spare pool up to {@code spare_processes}, off the caller's thread. */
    void replenish() {
        Settings settings = spareSettings;
        if (settings == null || settings.spareProcesses() == 0) {
            return;
        }
        Thread.ofVirtual().name("pulsar-spares").start(() -> topUp(settings));
    }

    private synchronized void topUp(Settings settings) {
        spares.removeIf(c -> !c.process.isAlive());
        while (spares.size() < settings.spareProcesses() && spareSettings == settings) {
            try {
                ChildProcess spare = ChildProcess.start(command(settings, List.of(), true), "spare");
                trainedBy(spare);
                spares.add(spare);
            } catch (IOException e) {
                log.warn("cannot start a spare child JVM: {}", e.toString());
                return;
            }
        }
    }

    private synchronized ChildProcess takeSpare() {
        ChildProcess found = null;
        while (found == null && !spares.isEmpty()) {
            ChildProcess c = spares.pollFirst();
            if (c.process.isAlive()) {
                found = c;
            }
        }
        if (found != null) {
            replenish();
        }
        return found;
    }

    /** Ends every spare child (the arbiter is stopping); completes when they have exited. */
    @Override
    public synchronized CompletableFuture<Void> close() {
        spareSettings = null;
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (ChildProcess c : spares) {
            c.closeInput();
            c.process.destroy();
            exits.add(c.process.onExit());
        }
        spares.clear();
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    }

    /** The command line of a child JVM (the spec travels on standard input, never here). */
    List<String> command(Settings settings, List<String> extra, boolean spare) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : settings.jvmOptions().split("\\s+")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String classPath = System.getProperty("java.class.path");
        cmd.addAll(aotOptions(settings, classPath, extra));
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        if (spare) {
            cmd.add("--spare");
        }
        return cmd;
    }

    /** Where a training child writes its cache, and where the cache goes once it is complete. */
    private record Training(Path tmp, Path cache) {
    }

    private volatile Training pending;

    /**
     * JDK 25+: use the AOT cache for this class path and these options when it exists; when it
     * does not, let this child record one (written when it exits) unless another is at it. A
     * class path with directories (a build's classes/) cannot be cached, so it is left alone.
     */
    private List<String> aotOptions(Settings settings, String classPath, List<String> extra) {
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
        if (!training.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Files.createDirectories(cache.getParent());
        } catch (IOException e) {
            training.set(false);
            return List.of();
        }
        Path tmp = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        log.info("child JVMs: recording an AOT cache in {} (used from the next spawns on)", cache);
        pending = new Training(tmp, cache);
        o.add("-XX:AOTCacheOutput=" + tmp);
        return o;
    }

    /** Called once the training child has exited: it has written the cache by then, or failed to. */
    private void finishTraining(Training t) {
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
            training.set(false);
        }
    }

    /** Binds a pending training run to the child that does it. */
    private void trainedBy(ChildProcess child) {
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
}
