package pulsar;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to spawn: an immutable, serializable spec. Start from {@link #thread()} or
 * {@link #process()} and chain copies:
 * <pre>{@code
 * ActorProxyFuture f = Pulsar.spawn(Spawn.thread().name("worker")
 *         .onStart(actor -> actor.loop().callRepeatedly(Duration.ofSeconds(2), Tasks::tick)));
 * }</pre>
 * Every method returns a new spec and validates its argument at once.
 */
public final class Spawn implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final Concurrency concurrency;
    private final String aid;
    private final String name;
    private final ActorHook onStart;
    private final ActorHook onStop;
    private final InfoHook onInfo;
    private final String behaviour;
    private final Map<String, Object> params;
    private final Duration handshakeTimeout;
    private final List<String> jvmOptions;
    private final Map<String, String> settings;
    private final boolean cpuBound;
    /** {@code null}: a loop of its own; {@link #SHARED}: the shared group; else the aid of the co-located actor whose loop it joins. */
    private final String host;
    private static final String SHARED = "*";

    private Spawn(Concurrency concurrency, String aid, String name, ActorHook onStart, ActorHook onStop,
                  InfoHook onInfo, String behaviour, Map<String, Object> params, Duration handshakeTimeout,
                  List<String> jvmOptions, Map<String, String> settings, boolean cpuBound) {
        this(concurrency, aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions, settings, cpuBound, null);
    }

    private Spawn(Concurrency concurrency, String aid, String name, ActorHook onStart, ActorHook onStop,
                  InfoHook onInfo, String behaviour, Map<String, Object> params, Duration handshakeTimeout,
                  List<String> jvmOptions, Map<String, String> settings, boolean cpuBound, String host) {
        this.concurrency = concurrency;
        this.cpuBound = cpuBound;
        this.host = host;
        this.aid = aid;
        this.name = name;
        this.onStart = onStart;
        this.onStop = onStop;
        this.onInfo = onInfo;
        this.behaviour = behaviour;
        this.params = params;
        this.handshakeTimeout = handshakeTimeout;
        this.jvmOptions = jvmOptions;
        this.settings = settings;
    }

    /** A thread-based actor: a thread of this JVM with its own loop and mailbox. */
    public static Spawn thread() {
        return of(Concurrency.THREAD);
    }

    /** A process-based actor (the default kind): a child JVM. */
    public static Spawn process() {
        return of(Concurrency.PROCESS);
    }

    /** A spec of the given kind. */
    public static Spawn of(Concurrency concurrency) {
        Objects.requireNonNull(concurrency, "concurrency");
        return new Spawn(concurrency, null, null, null, null, null, null, Map.of(), null, List.of(), Map.of(), false);
    }

    private Spawn copy(String aid, String name, ActorHook onStart, ActorHook onStop, InfoHook onInfo,
                       String behaviour, Map<String, Object> params, Duration handshakeTimeout, List<String> jvm) {
        return new Spawn(concurrency, aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvm, settings, cpuBound, host);
    }

    /** The actor's name (letters, digits, {@code _ . -}; at most 64); shown in {@code info} and logs. */
    public Spawn name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("spawn name: '" + name + "' must match " + NAME.pattern());
        }
        return copy(aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions);
    }

    /** Uses this aid instead of a generated one; it must be unique among live actors. */
    public Spawn aid(String aid) {
        if (aid == null || !NAME.matcher(aid).matches() || aid.equals("arbiter") || aid.equals("monitor")) {
            throw new IllegalArgumentException("spawn aid: '" + aid + "' must match " + NAME.pattern()
                    + " and not be 'arbiter' or 'monitor'");
        }
        return copy(aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions);
    }

    /** Runs once on the actor's loop after the handshake, before the spawn future completes. */
    public Spawn onStart(ActorHook hook) {
        return copy(aid, name, Objects.requireNonNull(hook, "onStart"), onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions);
    }

    /** Runs once when the actor stops, including on {@link Arbiter#stop()}. */
    public Spawn onStop(ActorHook hook) {
        return copy(aid, name, onStart, Objects.requireNonNull(hook, "onStop"), onInfo, behaviour, params, handshakeTimeout, jvmOptions);
    }

    /** Adds entries to the actor's {@code info}. */
    public Spawn onInfo(InfoHook hook) {
        return copy(aid, name, onStart, onStop, Objects.requireNonNull(hook, "onInfo"), behaviour, params, handshakeTimeout, jvmOptions);
    }

    /**
     * Hooks as methods of a class with a public no-argument constructor; they run before the
     * lambda hooks given to this spec.
     */
    public Spawn behaviour(Class<? extends ActorBehaviour> type) {
        Objects.requireNonNull(type, "behaviour");
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("spawn behaviour: " + type.getName() + " has no public no-argument constructor");
        }
        return copy(aid, name, onStart, onStop, onInfo, type.getName(), params, handshakeTimeout, jvmOptions);
    }

    /** A parameter the actor reads with {@link Actor#params()}: a string, number, boolean or serializable value. */
    public Spawn param(String key, Object value) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("spawn param: key must not be empty");
        }
        if (value != null && !(value instanceof Serializable)) {
            throw new IllegalArgumentException("spawn param " + key + ": " + value.getClass().getName() + " is not Serializable");
        }
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return copy(aid, name, onStart, onStop, onInfo, behaviour, Collections.unmodifiableMap(p), handshakeTimeout, jvmOptions);
    }

    /** How long the spawn waits for the handshake and {@code onStart}; the setting {@code handshake_timeout} by default. */
    public Spawn handshakeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("spawn handshakeTimeout: " + timeout + " must be positive");
        }
        return copy(aid, name, onStart, onStop, onInfo, behaviour, params, timeout, jvmOptions);
    }

    /** Extra options for a process actor's JVM, such as {@code -Xmx64m} or {@code -Dkey=value}. */
    public Spawn jvmOptions(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        for (String o : options) {
            if (o == null || o.isBlank()) {
                throw new IllegalArgumentException("spawn jvmOptions: an option is empty");
            }
            all.add(o);
        }
        return copy(aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, List.copyOf(all));
    }

    /**
     * Overrides setting {@code name} for this actor only, whatever the arbiter's value: for
     * example {@code setting("timeout", Duration.ofSeconds(1))} makes the arbiter stop the actor
     * when it is silent for about a second, and kill it after its own {@code stop_grace}. Settings
     * of {@link Settings.Scope#PROCESS} scope (such as {@code bind}) are the arbiter's alone.
     *
     * @param value a {@link Duration}, a number or text, as {@link Settings#with(String, Object)} takes
     * @throws IllegalArgumentException naming the setting and the value when either is wrong
     */
    public Spawn setting(String name, Object value) {
        Settings checked = Settings.defaults().with(name, value);
        if (Settings.scope(name) == Settings.Scope.PROCESS || Settings.scope(name) == Settings.Scope.APPLICATION) {
            throw new IllegalArgumentException("spawn setting " + name + ": it is the "
                    + (Settings.scope(name) == Settings.Scope.PROCESS ? "arbiter's" : "application's") + " alone and cannot differ per actor");
        }
        Object shown = checked.get(name);
        String text = shown instanceof Double seconds ? Math.round(seconds * 1000) + "ms" : String.valueOf(shown);
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put(name, text);
        return new Spawn(concurrency, aid, this.name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions,
                Collections.unmodifiableMap(s), cpuBound, host);
    }

    /**
     * A CPU-bound actor, thread or process: its {@link Actor#loop() loop} is a request loop of
     * its own that may block for as long as a piece of work needs (blocking on a future is
     * allowed there), while the mailbox, commands, hooks and the notifies to the arbiter run on
     * {@link Actor#ioLoop()}, a second thread, and keep answering. A stop interrupts the request
     * loop's thread when it is busy; a process actor that still does not stop is killed after
     * its {@code stop_grace}.
     */
    public Spawn cpuBound() {
        if (host != null) {
            throw new IllegalArgumentException("spawn cpuBound: a co-located actor shares its loop and may not block it");
        }
        return new Spawn(concurrency, aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions,
                settings, true, host);
    }

    /**
     * A <b>co-located</b> thread actor: instead of a thread and a loop of its own, it runs on one
     * of a small, fixed group of shared event loops of the arbiter's JVM (one per core), beside
     * other co-located actors, as Vert.x runs many verticles on few loops. It has the same
     * commands, hooks, {@code info}, {@code config} and supervision as any actor, and costs a few
     * hundred bytes of heap rather than a thread, four file descriptors and a timer: the way to
     * run many light actors, and to make request/response between actors of one loop run without
     * waking a thread.
     * <p>What differs:
     * <ul>
     * <li>It has no listening socket: {@link ActorProxy#address()} and {@link Actor#address()}
     *     are the arbiter's mailbox, which forwards {@code actor AID COMMAND ARGS...} to it; sends
     *     by aid or proxy, from this JVM or another, find it on their own.</li>
     * <li>It sends no periodic {@code notify}: its loop reports for all of its actors at once, and
     *     when that loop stops answering for an actor's {@code timeout}, the arbiter stops (then
     *     drops) the actors on it.</li>
     * <li>Its code must not block: a blocking call on a future is refused as on any loop, and a
     *     callback that sleeps delays every actor of the loop. A stop, kill or crash of one actor
     *     leaves its loop-mates running.</li>
     * </ul>
     * Only thread actors may be co-located, and not CPU-bound ones.
     *
     * @throws IllegalArgumentException when this spec is for a process actor or CPU-bound
     */
    public Spawn colocated() {
        return withHost(SHARED, "colocated");
    }

    /**
     * A co-located actor ({@link #colocated()}) on the very loop of {@code host}, itself a
     * co-located actor of the arbiter's JVM: sends between the two run one after the other on
     * that loop's thread, with no thread hand-off. The spawn fails when {@code host} is not a live
     * co-located actor.
     *
     * @throws IllegalArgumentException when this spec is for a process actor or CPU-bound
     */
    public Spawn onLoopOf(ActorProxy host) {
        Objects.requireNonNull(host, "onLoopOf");
        return withHost(host.aid(), "onLoopOf");
    }

    private Spawn withHost(String host, String what) {
        if (concurrency != Concurrency.THREAD) {
            throw new IllegalArgumentException("spawn " + what + ": only thread actors may share a loop, not " + concurrency.wireName() + " actors");
        }
        if (cpuBound) {
            throw new IllegalArgumentException("spawn " + what + ": a CPU-bound actor needs a request loop of its own");
        }
        return new Spawn(concurrency, aid, name, onStart, onStop, onInfo, behaviour, params, handshakeTimeout, jvmOptions,
                settings, false, host);
    }

    /** Whether the actor is co-located ({@link #colocated()} or {@link #onLoopOf}). */
    public boolean isColocated() { return host != null; }

    /** The aid of the actor whose loop this one joins ({@link #onLoopOf}), or {@code null}. */
    public String loopOf() { return SHARED.equals(host) ? null : host; }

    /** This actor's {@code timeout}: it is stopped when it sends no {@code notify} for this long. */
    public Spawn timeout(Duration timeout) {
        return setting("timeout", timeout);
    }

    /** This actor's {@code stop_grace}: how long a stop waits before it is killed. */
    public Spawn stopGrace(Duration grace) {
        return setting("stop_grace", grace);
    }

    /**
     * The arbiter's {@code settings} with this spec's overrides ({@link #setting}) and its
     * {@link #handshakeTimeout(Duration)} applied: the settings the actor runs with.
     */
    public Settings settingsFor(Settings arbiter) {
        Settings s = arbiter;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return handshakeTimeout == null ? s : s.withHandshakeTimeout(handshakeTimeout);
    }

    /** The settings overridden for this actor, as text, unmodifiable. */
    public Map<String, String> settings() { return settings; }

    /** Thread or process. */
    public Concurrency concurrency() { return concurrency; }
    /** Whether the actor is CPU-bound ({@link #cpuBound()}). */
    public boolean isCpuBound() { return cpuBound; }
    /** The aid given with {@link #aid(String)}, or {@code null} for a generated one. */
    public String aid() { return aid; }
    /** The name, or {@code null} for the default (the kind's name). */
    public String name() { return name; }
    /** The {@code onStart} hook, or {@code null}. */
    public ActorHook onStart() { return onStart; }
    /** The {@code onStop} hook, or {@code null}. */
    public ActorHook onStop() { return onStop; }
    /** The {@code onInfo} hook, or {@code null}. */
    public InfoHook onInfo() { return onInfo; }
    /** The behaviour class name, or {@code null}. */
    public String behaviour() { return behaviour; }
    /** The parameters, unmodifiable. */
    public Map<String, Object> params() { return params; }
    /** The handshake timeout, or {@code null} for the setting. */
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** Extra JVM options for a process actor. */
    public List<String> jvmOptions() { return jvmOptions; }

    @Override
    public String toString() {
        return "Spawn[" + concurrency.wireName() + (cpuBound ? " cpu-bound" : "") + (host == null ? "" : SHARED.equals(host) ? " colocated" : " on-loop-of=" + host) + (name == null ? "" : " " + name) + (aid == null ? "" : " aid=" + aid) + "]";
    }
}
