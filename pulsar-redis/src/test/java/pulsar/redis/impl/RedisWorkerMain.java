package pulsar.redis.impl;

import java.util.List;
import pulsar.queue.TaskWorker;
import pulsar.queue.Tasks;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueBackends;

/**
 * A worker JVM for the tests: consumes the queue at {@code args[0]} as consumer {@code args[1]}
 * (a machine of its own, with its own connections), prints {@code READY}, and exits when its
 * standard input closes (its parent stopped or died: no orphan).
 */
public final class RedisWorkerMain {
    private RedisWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        // redis.where(x, sleepMillis): [this JVM's pid, 2x], after sleeping that long
        Tasks.register("redis.where", (ctx, a) -> {
            long sleep = a.size() > 1 ? ((Number) a.get(1)).longValue() : 0;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
            return List.of(ProcessHandle.current().pid(), ((Number) a.get(0)).longValue() * 2);
        });
        QueueBackend backend = QueueBackends.open(args[0]);
        TaskWorker worker = TaskWorker.of(backend, args[1]).withBatch(20);
        Thread t = new Thread(() -> worker.run(() -> true), "worker");
        t.setDaemon(true);
        t.start();
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() != -1) {
            // wait for the parent to go away
        }
        Runtime.getRuntime().halt(0);
    }
}
