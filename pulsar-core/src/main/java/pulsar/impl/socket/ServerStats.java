package pulsar.impl.socket;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of one server; written on its loop, read from any thread by {@code info}. */
final class ServerStats {
    final AtomicLong open = new AtomicLong();
    final AtomicLong served = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
}
