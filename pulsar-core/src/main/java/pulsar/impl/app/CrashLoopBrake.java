package pulsar.impl.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Counts workers that failed to start: {@code failures} of them within {@code window} trip it.
 * Spaced failures never do. Time comes from an injected clock.
 */
final class CrashLoopBrake {
    private final LongSupplier clock;
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    CrashLoopBrake(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Records one failed start.
     *
     * @return whether the brake trips: {@code failures} failures within {@code window}
     */
    boolean failedStart(int failures, Duration window) {
        long now = clock.getAsLong();
        recent.addLast(now);
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
            recent.pollFirst();
        }
        while (recent.size() > failures) {
            recent.pollFirst();
        }
        return recent.size() >= failures;
    }

    /** How many failed starts are inside the window now. */
    int recentFailures() {
        return recent.size();
    }
}
