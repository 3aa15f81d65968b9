package pulsar.queue.impl;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Task ids: 64 random bits per JVM, then a counter; unique across JVMs with overwhelming probability. */
public final class TaskIds {
    private static final String PREFIX;
    private static final AtomicLong COUNTER = new AtomicLong();

    static {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        PREFIX = HexFormat.of().formatHex(b) + "-";
    }

    private TaskIds() {
    }

    /** A new id. */
    public static String next() {
        return PREFIX + Long.toString(COUNTER.incrementAndGet(), 36);
    }
}
