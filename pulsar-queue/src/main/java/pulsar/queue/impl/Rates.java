package pulsar.queue.impl;

/** Events per second over the last {@value #WINDOW} seconds of a clock, in one-second buckets. Not thread-safe. */
final class Rates {
    static final int WINDOW = 10;
    private final long[] seconds = new long[WINDOW];
    private final long[] counts = new long[WINDOW];

    Rates() {
        java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    }

    void add(long nowMillis) {
        long s = Math.floorDiv(nowMillis, 1000);
        int i = Math.floorMod(s, WINDOW);
        if (seconds[i] != s) {
            seconds[i] = s;
            counts[i] = 0;
        }
        counts[i]++;
    }

    double perSecond(long nowMillis) {
        long s = Math.floorDiv(nowMillis, 1000);
        long sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            if (seconds[i] > s - WINDOW && seconds[i] <= s) {
                sum += counts[i];
            }
        }
        return sum / (double) WINDOW;
    }
}
