package pulsar.impl.loop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.EventLoop;

/** One addReader/addWriter registration: the handle returned to the caller. */
final class WatchCallback implements EventLoop.Handle {
    private static final Logger log = LoggerFactory.getLogger(WatchCallback.class);

    final WatchedChannel watched;
    /** {@link Interest#READ} or {@link Interest#WRITE}. */
    final int kind;
    private final Runnable callback;
    volatile boolean cancelled;

    WatchCallback(WatchedChannel watched, int kind, Runnable callback) {
        this.watched = watched;
        this.kind = kind;
        this.callback = callback;
    }

    @Override
    public void cancel() {
        watched.cancel(this);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs the callback on the loop; a failure is logged and the registration stays. */
    void run() {
        try {
            callback.run();
        } catch (Throwable t) {
            log.error("{} callback for {} failed on {}", Interest.name(kind), watched.channel, watched.owner.loop, t);
        }
    }

    @Override
    public String toString() {
        return Interest.name(kind) + "[" + watched.channel + (cancelled ? ", cancelled]" : "]");
    }
}
