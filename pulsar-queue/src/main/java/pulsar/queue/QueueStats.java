package pulsar.queue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backend's counters: tasks now waiting, scheduled for a retry and running; totals since the
 * backend started; and rates over the last seconds.
 *
 * @param queued tasks waiting for a worker
 * @param scheduled tasks waiting for their retry time
 * @param running tasks delivered and not finished
 * @param submitted tasks submitted since start
 * @param done tasks finished with a result since start
 * @param failed tasks finished with an error since start
 * @param dead tasks that became dead letters since start
 * @param cancelled tasks cancelled since start
 * @param redelivered deliveries lost (lease expired, consumer gone) and queued again since start
 * @param submitRate tasks submitted per second, over the last 10 s
 * @param doneRate tasks finished (any way) per second, over the last 10 s
 * @param queuedByQueue the waiting tasks of each named queue
 */
public record QueueStats(long queued, long scheduled, long running, long submitted, long done, long failed, long dead,
        long cancelled, long redelivered, double submitRate, double doneRate, Map<String, Long> queuedByQueue) {

    /** Copies the map. */
    public QueueStats {
        queuedByQueue = Map.copyOf(queuedByQueue);
    }

    /** The counters by their wire names (as in {@code info} and {@code task_stats}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queued", queued);
        m.put("scheduled", scheduled);
        m.put("running", running);
        m.put("submitted", submitted);
        m.put("done", done);
        m.put("failed", failed);
        m.put("dead", dead);
        m.put("cancelled", cancelled);
        m.put("redelivered", redelivered);
        m.put("submit_rate", submitRate);
        m.put("done_rate", doneRate);
        m.put("queues", new LinkedHashMap<>(queuedByQueue));
        return m;
    }
}
