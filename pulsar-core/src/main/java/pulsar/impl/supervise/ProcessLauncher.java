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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * by the first child and used by the next ones. Warm spare children wait for spawns when
 * {@code spare_processes} asks for them, a pool per set of JVM options in use: the arbiter's own
 * set from {@link #prepare}, any other set (an application's workers) from its first spawn. A
 * spawn that took a spare has it replaced 100 ms after its handshake is over, so that the new JVM does not
 * compete with the spawn it would serve; the new spare boots and warms up at a low priority
 * ({@code nice}, {@link #SPARE_NICENESS}) where the actor it becomes can be given the normal
 * priority back. One per JVM, owned by its runtime.
 */
public final class ProcessLauncher implements Launcher {
    private static final Logger log = LoggerFactory.getLogger(ProcessLauncher.class);
    /** The most option sets with spares at once; the least recently used one gives its spares up. */
    static final int MAX_POOLS = 4;
    /**
     * The niceness a spare JVM boots and warms up at, so that it yields the CPU to the actors and
     * spawns already running; the actor it becomes runs at the normal priority again. Only where
     * this JVM may restore it ({@link Priority#canRestore}); 0 turns it off.
     */
    static final int SPARE_NICENESS = Integer.getInteger("pulsar.spare_niceness", 10);
    /**
     * How long a spare stays at its low priority at most, warm or not. While other processes keep
     * every core busy, a niced JVM barely runs (a tenth of a nice-0 process's share): a spare niced
     * until warm was still booting 8 s later under {@code HelloWorldKillTest}'s load, and the
     * worker that took it started cold. The spawn it replaces is over before it starts, so the
     * low priority only has to spare the actors already running its first, busiest moments.
     */
    static final long SPARE_LOW_PRIORITY_MS = Long.getLong("pulsar.spare_low_priority_ms", 2000);
    private final AtomicBoolean training = new AtomicBoolean();
    /**
     * How long after a spawn that took a spare its replacement starts: not while the spawn's own
     * callbacks run (they are queued on the same completion), nor in the new actor's first moments.
     */
    static final long REPLENISH_AFTER_MS = 100;
    /** {@link #SPARE_LOW_PRIORITY_MS}, shortened by tests. */
    volatile long lowPriorityMs = SPARE_LOW_PRIORITY_MS;
    private final Dispatcher dispatcher;
    private final String mainClass;
    /** The pools by {@link #key}, least recently used first. Guarded by {@code this}. */
    private final LinkedHashMap<String, Pool> pools = new LinkedHashMap<>(8, 0.75f, true);
    /** Spares being started now; they join their pool, or end if it is gone. Guarded by {@code this}. */
    private final List<CompletableFuture<Void>> starting = new ArrayList<>();
    /** The key of the arbiter's own set, from {@link #prepare}; {@code null} once closed. Guarded by {@code this}. */
    private String arbiterKey;
    private boolean open;

    /** The warm spares of one set of JVM options, and how many it should hold. Guarded by the launcher. */
    private static final class Pool {
        final ArrayDeque<ChildProcess> spares = new ArrayDeque<>();
        /** How its spares start (JVM options, AOT cache) and how many ({@code spare_processes}). */
        Settings settings;
        /** Spares being started for it. */
        int pending;
        /** Whether spawns have used it (not only {@link #prepare}). */
        boolean used;

        Pool(Settings settings) {
            this.settings = settings;
        }
    }

    /**
     * A launcher of child JVMs that run {@code mainClass} (which reads a {@code ChildSpec} from
     * standard input); stops are sent through {@code dispatcher}.
     */
    public ProcessLauncher(Dispatcher dispatcher, String mainClass) {
        this.dispatcher = dispatcher;
        this.mainClass = mainClass;
    }

    /** The pool a set of settings starts its children in: their JVM options and AOT cache. */
    private static String key(Settings settings) {
        return settings.jvmOptions() + "\u0000" + settings.aotCache();
    }

    @Override
    public LaunchedActor launch(LaunchRequest r) throws IOException {
        Settings settings = r.settings();
        // Encoded first: a hook that cannot be serialized fails the spawn before a JVM is taken.
        byte[] spec = new ChildSpec(r.aid(), r.age(), r.spec(), r.manager().address().getHostString(),
                r.manager().address().getPort(), r.config().secret(), settings).toBytes();
        String tag = r.aid() + " " + (r.spec().name() == null ? "process" : r.spec().name());
        // a spec's own JVM options: a JVM of its own, no spare
        String key = r.spec().jvmOptions().isEmpty() ? key(settings) : null;
        ChildProcess spare = key == null ? null : takeSpare(key, settings);
        ChildProcess child;
        if (spare != null) {
            child = spare;
            child.retag(tag);
            log.debug("actor {} takes the spare child JVM {}", r.aid(), child.pid());
            child.restorePriority(); // taken before it finished warming up: its actor runs at the normal priority
        } else {
            child = ChildProcess.start(command(settings, r.spec().jvmOptions(), false), tag);
            trainedBy(child);
        }
        if (key != null) {
            // refill once this spawn is over, not while it runs: a JVM start would slow it down
            r.started().whenComplete((x, e) -> CompletableFuture.delayedExecutor(REPLENISH_AFTER_MS, TimeUnit.MILLISECONDS)
                    .execute(() -> replenish(key)));
        }
        child.exited().thenAccept(code -> r.onExit().accept(new ExitNotice(OptionalInt.of(code), "exit code " + code, child.tail())));
        try {
            child.sendSpec(spec);
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

    /** The arbiter's own set of JVM options gets {@code spare_processes} spares, started off the caller's thread. */
    @Override
    public void prepare(Settings settings) {
        String key = key(settings);
        List<ChildProcess> ended = new ArrayList<>();
        synchronized (this) {
            open = true;
            if (arbiterKey != null && !arbiterKey.equals(key)) {
                Pool old = pools.get(arbiterKey);
                if (old != null && !old.used) { // the arbiter's former set, which no spawn asked for
                    pools.remove(arbiterKey);
                    ended.addAll(old.spares);
                }
            }
            arbiterKey = key;
            Pool p = pools.get(key);
            if (p != null) {
                p.settings = settings;
                ended.addAll(trim(p));
            } else if (settings.spareProcesses() > 0) {
                pools.put(key, new Pool(settings));
                ended.addAll(evict());
            }
        }
        end(ended);
        replenish(key);
    }

    /** Tops the pool of {@code key} up to its {@code spare_processes}, off the caller's thread. */
    void replenish(String key) {
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        Pool p;
        Settings settings;
        synchronized (this) {
            p = pools.get(key);
            if (!open || p == null) {
                return;
            }
            p.spares.removeIf(c -> !c.process.isAlive());
            while (p.spares.size() + p.pending < p.settings.spareProcesses()) {
                p.pending++;
                CompletableFuture<Void> task = new CompletableFuture<>();
                starting.add(task);
                tasks.add(task);
            }
            settings = p.settings;
        }
        for (CompletableFuture<Void> task : tasks) {
            Thread.ofVirtual().name("pulsar-spare").start(() -> startSpare(key, p, settings, task));
        }
    }

    /** Starts one spare for pool {@code p}; it joins the pool unless the pool is gone or full by then. */
    private void startSpare(String key, Pool p, Settings settings, CompletableFuture<Void> task) {
        ChildProcess spare = null;
        try {
            List<String> cmd = command(settings, List.of(), true);
            boolean nice = SPARE_NICENESS > 0 && Priority.canRestore();
            if (nice) {
                cmd.addAll(0, List.of(Priority.NICE, "-n", Integer.toString(SPARE_NICENESS)));
            }
            spare = ChildProcess.start(cmd, "spare");
            spare.niced(nice);
            if (nice) {
                // low priority while it boots and warms up, for SPARE_LOW_PRIORITY_MS at most; a warm spare waits at the normal one
                ChildProcess s = spare;
                CompletableFuture<Void> deadline = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(lowPriorityMs, TimeUnit.MILLISECONDS).execute(() -> deadline.complete(null));
                spare.warm().acceptEither(deadline, x -> s.restorePriority());
            }
            trainedBy(spare);
        } catch (IOException e) {
            log.warn("cannot start a spare child JVM: {}", e.toString());
        }
        boolean kept = false;
        synchronized (this) {
            p.pending--;
            starting.remove(task);
            if (spare != null && open && pools.get(key) == p && p.spares.size() < p.settings.spareProcesses()) {
                p.spares.add(spare);
                kept = true;
            }
        }
        if (spare != null && !kept) {
            end(List.of(spare)).whenComplete((x, e) -> task.complete(null));
        } else {
            task.complete(null);
        }
    }

    /** A live spare of pool {@code key}, or {@code null}; the pool now follows {@code settings}. */
    private ChildProcess takeSpare(String key, Settings settings) {
        List<ChildProcess> extra = new ArrayList<>();
        ChildProcess found = null;
        synchronized (this) {
            if (!open) {
                return null;
            }
            Pool p = pools.get(key);
            if (p == null) {
                if (settings.spareProcesses() == 0) {
                    return null; // no pool for a set that wants no spares
                }
                p = new Pool(settings);
                pools.put(key, p);
                extra.addAll(evict());
            }
            p.settings = settings;
            p.used = true;
            while (found == null && !p.spares.isEmpty()) {
                ChildProcess c = p.spares.pollFirst();
                if (c.process.isAlive()) {
                    found = c;
                }
            }
            extra.addAll(trim(p));
        }
        end(extra);
        return found;
    }

    /** Each spare child waiting in a pool: its pid, whether it is warm yet and still at its low priority, its JVM options. */
    @Override
    public synchronized List<Map<String, Object>> spares() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Pool p : pools.values()) {
            for (ChildProcess c : p.spares) {
                if (c.process.isAlive()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pid", c.pid());
                    m.put("warm", c.warm().isDone());
                    m.put("low_priority", c.niced());
                    m.put("jvm_options", p.settings.jvmOptions());
                    all.add(m);
                }
            }
        }
        return all;
    }

    /** Takes from {@code p} the spares beyond its {@code spare_processes}, to be ended. */
    private static List<ChildProcess> trim(Pool p) {
        List<ChildProcess> extra = new ArrayList<>();
        while (p.spares.size() > p.settings.spareProcesses()) {
            extra.add(p.spares.pollLast());
        }
        return extra;
    }

    /** Removes the least recently used pools beyond {@link #MAX_POOLS}; their spares are to be ended. */
    private List<ChildProcess> evict() {
        List<ChildProcess> extra = new ArrayList<>();
        var it = pools.entrySet().iterator();
        while (pools.size() > MAX_POOLS && it.hasNext()) {
            extra.addAll(it.next().getValue().spares);
            it.remove();
        }
        return extra;
    }

    /** Ends spare children: end of standard input (a spare exits by itself then), and a TERM. */
    private static CompletableFuture<Void> end(List<ChildProcess> children) {
        List<CompletableFuture<Process>> exits = new ArrayList<>();
        for (ChildProcess c : children) {
            c.closeInput();
            c.process.destroy();
            exits.add(c.process.onExit());
        }
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
    }

    /** Ends every spare child, and those being started (the arbiter is stopping); completes when they have exited. */
    @Override
    public CompletableFuture<Void> close() {
        List<ChildProcess> all = new ArrayList<>();
        List<CompletableFuture<Void>> inFlight;
        synchronized (this) {
            open = false;
            arbiterKey = null;
            pools.values().forEach(p -> all.addAll(p.spares));
            pools.clear();
            inFlight = new ArrayList<>(starting);
        }
        inFlight.add(end(all));
        return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
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
