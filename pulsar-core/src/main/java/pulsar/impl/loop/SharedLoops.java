package pulsar.impl.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small, fixed group of event loops that co-located actors share (one per core by
 * default, {@code -Dpulsar.shared_loops=N}): started with the first co-located actor, stopped
 * with the arbiter ({@link #close()}). Each loop beats every {@link #BEAT} on its own thread,
 * which stands for every actor on it: the supervisor reads {@link #lastBeatNanos} instead of a
 * {@code notify} per actor.
 */
public final class SharedLoops {
    /** How often a shared loop shows it still runs. */
    public static final java.time.Duration BEAT = java.time.Duration.ofMillis(500);
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final int size;
    private List<Member> members; // guarded by this

    /** A group of {@code size} loops, none started yet. */
    public SharedLoops(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("shared loops: " + size + " must be at least 1");
        }
        this.size = size;
    }

    /** One loop per available core, or {@code -Dpulsar.shared_loops}. */
    public static SharedLoops perCore() {
        return new SharedLoops(Integer.getInteger("pulsar.shared_loops", Runtime.getRuntime().availableProcessors()));
    }

    private static final class Member {
        final EventLoopImpl loop;
        final AtomicInteger actors = new AtomicInteger();
        volatile long beatNanos = System.nanoTime();

        Member(EventLoopImpl loop) {
            this.loop = loop;
            loop.shared = this;
            loop.callRepeatedly(BEAT, () -> beatNanos = System.nanoTime());
        }
    }

    /** The least loaded loop of the group (started on first use); {@link #release} gives the place back. */
    public synchronized EventLoopImpl acquire() {
        if (members == null) {
            int group = GROUPS.incrementAndGet();
            members = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                members.add(new Member(EventLoopImpl.onNewThread("pulsar-shared-" + group + "-" + i)));
            }
        }
        Member best = members.get(0);
        for (Member m : members) {
            if (m.actors.get() < best.actors.get()) {
                best = m;
            }
        }
        best.actors.incrementAndGet();
        return best.loop;
    }

    /** A place on {@code loop}, a loop of this group that runs: for an actor that joins a loop-mate. */
    public synchronized EventLoopImpl acquire(EventLoopImpl loop) {
        Member m = memberOf(loop);
        if (m == null || members == null || !members.contains(m) || !loop.isRunning()) {
            throw new IllegalArgumentException("that loop is not a running shared loop");
        }
        m.actors.incrementAndGet();
        return loop;
    }

    /** An actor has left {@code loop}. */
    public void release(EventLoopImpl loop) {
        Member m = memberOf(loop);
        if (m != null) {
            m.actors.decrementAndGet();
        }
    }

    private static Member memberOf(EventLoopImpl loop) {
        return loop.shared instanceof Member m ? m : null;
    }

    /** Whether {@code loop} is a shared loop (of any group). */
    public static boolean isShared(EventLoopImpl loop) {
        return loop.shared instanceof Member;
    }

    /** When {@code loop}, a shared loop, last ran its beat ({@code System.nanoTime()}). */
    public static long lastBeatNanos(EventLoopImpl loop) {
        Member m = memberOf(loop);
        return m == null ? 0 : m.beatNanos;
    }

    /** How many loops run now (0 before the first co-located actor or after {@link #close()}). */
    public synchronized int running() {
        return members == null ? 0 : members.size();
    }

    /** Stops the loops (their actors have stopped); the next {@link #acquire()} starts new ones. */
    public CompletableFuture<Void> close() {
        List<Member> old;
        synchronized (this) {
            old = members;
            members = null;
        }
        if (old == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Member m : old) {
            stops.add(m.loop.stop());
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
    }
}
