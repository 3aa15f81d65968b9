package pulsar.impl.supervise;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.ActorExit;
import pulsar.ActorListener;
import pulsar.ActorProxy;
import pulsar.ActorState;
import pulsar.Concurrency;
import pulsar.EventLoop;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.actor.ActorReport;
import pulsar.impl.mailbox.MailboxConfig;

/**
 * Keeps the records of supervised actors and makes every supervision decision: the handshake
 * deadline, the {@code timeout} of a silent actor, the stop → kill escalation after
 * {@code stop_grace}, and why each actor ended. Time comes from an injected clock, so the
 * decisions are tested without waiting. Starting and ending actors is left to one
 * {@link Launcher} per kind. Everything but the exit notices runs on the arbiter's loop;
 * notices are handed to that loop by {@code loop}.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /** A killed actor whose end is never reported (a thread stuck in a loop) is dropped after this. */
    static final long KILL_WAIT_NANOS = 1_000_000_000L;
    private static final int EXITS_KEPT = 50;

    private final LongSupplier clock;
    private final Map<Concurrency, Launcher> launchers;
    private final Executor loop;
    private final Map<String, ActorRecord> records = new ConcurrentHashMap<>();
    /**
     * The records a tick must look at every time: a handshake under way, a stop or a kill. The
     * others only need the silence check, which a large table (more than {@link #SMALL_TABLE}
     * records: many co-located actors) gets every {@link #SILENCE_EVERY} ticks rather than every
     * tick, so that 100,000 idle actors do not cost the arbiter a tenth of a core.
     */
    private final java.util.Set<ActorRecord> attention = ConcurrentHashMap.newKeySet();
    static final int SMALL_TABLE = 1_000;
    static final int SILENCE_EVERY = 10;
    private long ticks;
    private final Deque<ActorExit> exits = new ArrayDeque<>();
    private final List<ActorListener> listeners = new CopyOnWriteArrayList<>();
    private long spawned;

    /**
     * @param clock nanoseconds, monotonic ({@code System::nanoTime} outside tests)
     * @param launchers one per kind of actor
     * @param loop runs exit notices on the arbiter's loop
     */
    public Supervisor(LongSupplier clock, Map<Concurrency, Launcher> launchers, Executor loop) {
        this.clock = clock;
        this.launchers = Map.copyOf(launchers);
        this.loop = loop;
    }

    /** The launchers, for the arbiter's start and stop. */
    public Collection<Launcher> launchers() {
        return launchers.values();
    }

    /** Subscribes {@code listener} to state changes and exits; see {@link pulsar.Arbiter#watch}. */
    public EventLoop.Handle watch(ActorListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return new EventLoop.Handle() {
            private volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
                listeners.remove(listener);
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }

    /**
     * Starts an actor. {@code future} completes with its proxy when it reports {@code running},
     * or fails with the reason: the handshake deadline, a failed start, an early exit.
     *
     * @param settings the settings it runs with (the spec's overrides applied)
     */
    public ActorRecord spawn(String aid, Spawn spec, Settings settings, ActorProxy manager, MailboxConfig config,
                             CompletableFuture<ActorProxy> future) {
        if (records.containsKey(aid)) {
            future.completeExceptionally(new IllegalArgumentException("spawn aid: an actor with aid '" + aid + "' is alive"));
            return null;
        }
        Launcher launcher = launchers.get(spec.concurrency());
        if (launcher == null) {
            future.completeExceptionally(new IllegalArgumentException("spawn: no launcher for " + spec.concurrency().wireName() + " actors"));
            return null;
        }
        ActorRecord r = new ActorRecord(aid, ++spawned, spec, settings, future, clock.getAsLong());
        records.put(aid, r);
        attention.add(r);
        try {
            r.handle = launcher.launch(new LaunchRequest(aid, r.age, spec, settings, manager, config,
                    notice -> loop.execute(() -> exited(r, notice)), future));
            r.pid = r.handle.pid();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot start actor {}: {}", aid, e.toString());
            exited(r, new ExitNotice(OptionalInt.empty(), "not started: " + e.getMessage(), ""));
        }
        return r;
    }

    /**
     * An actor's {@code notify}: its handshake, a heartbeat or a failed start.
     *
     * @throws PulsarException {@code NOACTOR} when the actor is not (or no longer) supervised
     */
    public void notified(ActorReport report) {
        ActorRecord r = records.get(report.aid());
        if (r == null || r.abandoned) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR the arbiter does not manage an actor '" + report.aid() + "'");
        }
        r.lastNotifyNanos = clock.getAsLong();
        if (report.name() != null) {
            r.name = report.name();
        }
        if (report.pid() > 0) {
            r.pid = report.pid();
        }
        if (report.address() != null) {
            r.address = report.address();
        }
        if (report.timeout() != null) {
            r.timeout = report.timeout();
        }
        if (report.stopGrace() != null) {
            r.stopGrace = report.stopGrace();
        }
        ActorState previous = r.state;
        r.state = report.state();
        if (previous != r.state) {
            // listeners hear of a state before the spawn it completes does
            for (ActorListener l : listeners) {
                try {
                    l.stateChanged(r.aid, r.state);
                } catch (RuntimeException e) {
                    log.warn("an actor listener failed on {} {}", r.aid, r.state, e);
                }
            }
        }
        if (report.state() == ActorState.FAILED && !r.future.isDone()) {
            r.abandoned = true;
            r.future.completeExceptionally(new PulsarException(FailureKind.REMOTE_ERROR,
                    "actor " + r.aid + " failed to start: " + report.error()));
        } else if (report.state() == ActorState.RUNNING && !r.future.isDone()) {
            r.started = true;
            if (r.stopRequestedNanos == 0) {
                attention.remove(r);
            }
            r.future.complete(r.proxy());
        }
    }

    /** One supervision round: handshake deadlines, silent actors, stops that take too long. */
    public void tick() {
        long now = clock.getAsLong();
        boolean all = records.size() <= SMALL_TABLE || ++ticks % SILENCE_EVERY == 0;
        for (ActorRecord r : all ? records.values() : attention) {
            if (r.killedNanos != 0) {
                if (!r.handle.isAlive() || now - r.killedNanos > KILL_WAIT_NANOS) {
                    exited(r, new ExitNotice(OptionalInt.empty(), "killed (did not stop in time)", ""));
                }
            } else if (r.stopRequestedNanos != 0) {
                if (now - r.stopRequestedNanos > r.stopGrace.toNanos()) {
                    kill(r, now);
                }
            } else if (!r.started && !r.future.isDone()) { // (started first: one object fewer to touch per tick)
                if (now - r.handshakeDeadlineNanos > 0) {
                    r.future.completeExceptionally(new PulsarException(FailureKind.TIMEOUT, "TIMEOUT actor " + r.aid
                            + " did not complete its handshake and onStart within "
                            + (r.handshakeDeadlineNanos - r.spawnedNanos) / 1_000_000 + " ms"));
                    stop(r, ActorExit.Cause.FAILED_TO_START);
                }
            } else if (now - r.lastNotifyNanos > r.timeout.toNanos() && !beatSince(r, now)) {
                log.warn("actor {} ({}) sent no notify for {} ms (timeout {} ms): stopping it", r.aid, r.name,
                        (now - r.lastNotifyNanos) / 1_000_000, r.timeout.toMillis());
                stop(r, ActorExit.Cause.TIMED_OUT);
            }
        }
    }

    /**
     * Whether {@code r}, silent for its {@code timeout}, showed it lives otherwise since (a
     * co-located actor: its shared loop's beat); if so, that beat counts as its last notify. Read
     * only then, so that a tick over 100,000 co-located actors touches little more than their
     * records.
     */
    private static boolean beatSince(ActorRecord r, long now) {
        long beat = r.handle == null ? 0 : r.handle.aliveNanos();
        if (beat != 0 && now - beat <= r.timeout.toNanos()) {
            r.lastNotifyNanos = beat;
            return true;
        }
        return false;
    }

    /**
     * Asks an actor to stop; it is killed if still there after its {@code stop_grace}.
     *
     * @return completes when it has ended
     */
    public CompletableFuture<Void> stop(ActorRecord r, ActorExit.Cause cause) {
        r.abandoned = true;
        attention.add(r);
        if (r.stopCause == null) {
            r.stopCause = cause;
        }
        if (r.stopRequestedNanos == 0) {
            r.stopRequestedNanos = clock.getAsLong();
        }
        if (r.handle == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return r.handle.stop(r.address);
        } catch (RuntimeException e) {
            log.warn("cannot ask actor {} to stop: {}", r.aid, e.toString());
            return CompletableFuture.completedFuture(null);
        }
    }

    private void kill(ActorRecord r, long now) {
        r.killedNanos = now;
        if (r.handle.isAlive()) {
            log.warn("actor {} ({}) did not stop within {} ms: killing it", r.aid, r.name, r.stopGrace.toMillis());
            r.handle.kill();
        }
    }

    /** Fails the spawn of {@code r} with {@code failure} unless it has completed. */
    public void failPending(ActorRecord r, Throwable failure) {
        r.future.completeExceptionally(failure);
    }

    /** Kills every actor left (the arbiter stops) and forgets it at once. */
    public void killAll() {
        long now = clock.getAsLong();
        for (ActorRecord r : new ArrayList<>(records.values())) {
            if (r.handle != null && r.handle.isAlive()) {
                kill(r, now);
            }
            exited(r, new ExitNotice(OptionalInt.empty(), "stopped with the arbiter", ""));
        }
    }

    /** An actor has ended: it leaves the records and every listener hears how. Idempotent. */
    void exited(ActorRecord r, ExitNotice notice) {
        if (!records.remove(r.aid, r)) {
            return;
        }
        attention.remove(r);
        ActorExit.Cause cause;
        if (!r.started) {
            cause = ActorExit.Cause.FAILED_TO_START;
        } else if (r.killedNanos != 0) {
            cause = ActorExit.Cause.KILLED;
        } else if (r.stopCause != null) {
            cause = r.stopCause;
        } else if (notice.exitCode().isPresent() && notice.exitCode().getAsInt() != 0) {
            cause = ActorExit.Cause.CRASHED;
        } else {
            cause = ActorExit.Cause.STOPPED;
        }
        String description = notice.description();
        if (!r.future.isDone()) {
            String tail = notice.lastOutput();
            r.future.completeExceptionally(new PulsarException(FailureKind.REMOTE_ERROR, "actor " + r.aid
                    + " exited before its handshake completed: " + description
                    + (tail.isEmpty() ? "" : "; its last output:\n" + tail)));
        }
        ActorExit exit = new ActorExit(r.aid, r.name, r.spec.concurrency(), r.pid, r.age, cause, notice.exitCode(),
                description, notice.lastOutput());
        log.info("actor {} ({}) exited: {} ({})", r.aid, r.name, description, cause.name().toLowerCase(java.util.Locale.ROOT));
        synchronized (exits) {
            exits.addLast(exit);
            while (exits.size() > EXITS_KEPT) {
                exits.pollFirst();
            }
        }
        for (ActorListener l : listeners) {
            try {
                l.exited(exit);
            } catch (RuntimeException e) {
                log.warn("an actor listener failed on the exit of {}", r.aid, e);
            }
        }
    }

    /** The record of {@code aid}, or {@code null}. */
    public ActorRecord record(String aid) {
        return records.get(aid);
    }

    /** The records, live or not yet gone. */
    public Collection<ActorRecord> records() {
        return records.values();
    }

    /** The last exits, oldest first, as {@code info} lists them. */
    public List<Map<String, Object>> recentExits() {
        List<Map<String, Object>> out = new ArrayList<>();
        synchronized (exits) {
            for (ActorExit e : exits) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("aid", e.aid());
                m.put("name", e.name());
                m.put("age", e.age());
                m.put("pid", e.pid());
                m.put("cause", e.cause().name().toLowerCase(java.util.Locale.ROOT));
                m.put("how", e.description());
                out.add(m);
            }
        }
        return out;
    }

    /** The {@code info} entry of one record. */
    public Map<String, Object> info(ActorRecord r) {
        return r.info(clock.getAsLong());
    }

    /** How many actors are supervised. */
    public int size() {
        return records.size();
    }

    /**
     * The {@code info} entries of at most {@code count} records whose age is above {@code afterAge},
     * youngest last: a page of the table, which can hold far more actors (co-located ones) than
     * one reply should carry. The next page starts after the last entry's age.
     */
    public List<Map<String, Object>> page(long afterAge, int count) {
        if (count <= 0) {
            return List.of();
        }
        // the count oldest above afterAge, without sorting the whole table: a max-heap by age of size count
        java.util.PriorityQueue<ActorRecord> oldest = new java.util.PriorityQueue<>(Math.min(count, 1024) + 1,
                (a, b) -> Long.compare(b.age, a.age));
        for (ActorRecord r : records.values()) {
            if (r.age > afterAge && (oldest.size() < count || r.age < oldest.peek().age)) {
                oldest.add(r);
                if (oldest.size() > count) {
                    oldest.poll();
                }
            }
        }
        List<ActorRecord> sorted = new ArrayList<>(oldest);
        sorted.sort((a, b) -> Long.compare(a.age, b.age));
        long now = clock.getAsLong();
        List<Map<String, Object>> out = new ArrayList<>(sorted.size());
        for (ActorRecord r : sorted) {
            out.add(r.info(now));
        }
        return out;
    }
}
