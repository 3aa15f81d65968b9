package pulsar.queue.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.Receipt;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * The embedded queue of another JVM (the arbiter's), through its mailbox: each call is one of
 * the {@link QueueCommands}. A result is awaited with repeated bounded long-polls
 * ({@code task_result ID WAIT_MS}), so no request stays open longer than {@link #RESULT_POLL}.
 */
final class MailboxBackend implements QueueBackend {
    static final Duration RESULT_POLL = Duration.ofSeconds(20);
    private static final int MAX_ACKS = 256;

    private final Object target;
    private final java.util.ArrayDeque<PendingAck> acks = new java.util.ArrayDeque<>();
    private boolean ackInFlight; // guarded by acks
    private volatile boolean closed;

    MailboxBackend(Object target) {
        this.target = target;
    }

    @Override
    public CompletableFuture<String> enqueue(TaskMessage task) {
        return call(String::valueOf, "task_submit", task.toJson());
    }

    @Override
    public CompletableFuture<List<Delivery>> fetch(String consumer, List<String> queues, int max, Duration wait) {
        return call(reply -> {
            List<Delivery> out = new ArrayList<>();
            for (String json : Json.strings(reply)) {
                out.add(Json.readDelivery(json));
            }
            return out;
        }, "task_fetch", consumer, String.join(",", queues), max, wait.toMillis());
    }

    /**
     * Acknowledgements go out one command at a time: those made while one is in flight wait and
     * leave together in the next {@code task_acks}, so a busy worker pays a fraction of a round
     * trip per task and an idle one no added delay.
     */
    @Override
    public CompletableFuture<Boolean> ack(String consumer, Receipt receipt, String resultJson) {
        PendingAck a = new PendingAck(consumer, receipt, resultJson == null ? "null" : resultJson, new CompletableFuture<>());
        boolean send;
        synchronized (acks) {
            acks.add(a);
            send = !ackInFlight;
            ackInFlight = true;
        }
        if (send) {
            flushAcks();
        }
        return a.done;
    }

    private record PendingAck(String consumer, Receipt receipt, String result, CompletableFuture<Boolean> done) {
    }

    private void flushAcks() {
        List<PendingAck> batch;
        synchronized (acks) {
            if (acks.isEmpty()) {
                ackInFlight = false;
                return;
            }
            batch = new ArrayList<>(Math.min(acks.size(), MAX_ACKS));
            while (!acks.isEmpty() && batch.size() < MAX_ACKS) {
                batch.add(acks.poll());
            }
        }
        Object[] args = new Object[batch.size() * 5];
        int i = 0;
        for (PendingAck a : batch) {
            args[i++] = a.consumer;
            args[i++] = a.receipt.taskId();
            args[i++] = a.receipt.delivery();
            args[i++] = a.receipt.token();
            args[i++] = a.result;
        }
        call(reply -> reply, "task_acks", args).whenComplete((reply, failure) -> {
            List<?> flags = reply instanceof List<?> l ? l : List.of();
            for (int k = 0; k < batch.size(); k++) {
                if (failure != null) {
                    batch.get(k).done.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                } else {
                    batch.get(k).done.complete(k < flags.size() && bool(flags.get(k)));
                }
            }
            flushAcks();
        });
    }

    @Override
    public CompletableFuture<Boolean> fail(String consumer, Receipt receipt, TaskFailure failure, String error, boolean retry) {
        return call(MailboxBackend::bool, "task_fail", consumer, receipt.taskId(), receipt.delivery(), receipt.token(),
                (failure == null ? TaskFailure.TASK_ERROR : failure).code(), error == null ? "" : error, retry ? 1 : 0);
    }

    @Override
    public CompletableFuture<Integer> release(String consumer) {
        return call(reply -> ((Number) reply).intValue(), "task_release", consumer);
    }

    @Override
    public CompletableFuture<Boolean> cancel(String id) {
        return call(MailboxBackend::bool, "task_cancel", id);
    }

    @Override
    public CompletableFuture<TaskOutcome> result(String id) {
        CompletableFuture<TaskOutcome> out = new CompletableFuture<>();
        poll(id, out);
        return out;
    }

    private void poll(String id, CompletableFuture<TaskOutcome> out) {
        call(reply -> reply == null ? null : Json.readOutcome(String.valueOf(reply)), "task_result", id, RESULT_POLL.toMillis())
                .whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        out.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
                    } else if (outcome != null) {
                        out.complete(outcome);
                    } else if (!out.isDone()) {
                        poll(id, out);
                    }
                });
    }

    @Override
    public CompletableFuture<TaskStatus> status(String id) {
        return call(reply -> reply == null ? null : Json.readStatus(String.valueOf(reply)), "task_status", id);
    }

    @Override
    public CompletableFuture<List<TaskStatus>> deadLetters(int limit) {
        return call(reply -> Json.strings(reply).stream().map(Json::readStatus).toList(), "task_dead", limit);
    }

    @Override
    public CompletableFuture<QueueStats> stats() {
        return call(reply -> Json.readStats(String.valueOf(reply)), "task_stats");
    }

    @Override
    public void close() {
        closed = true;
    }

    private <T> CompletableFuture<T> call(Function<Object, T> map, String command, Object... args) {
        if (closed) {
            return CompletableFuture.failedFuture(new TaskException(TaskFailure.BACKEND, "the queue client is closed"));
        }
        CompletableFuture<Object> sent;
        try {
            sent = Pulsar.send(target, command, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(backendFailure(e));
        }
        return sent.handle((reply, failure) -> {
            if (failure != null) {
                throw backendFailure(failure);
            }
            return map.apply(reply);
        });
    }

    private TaskException backendFailure(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TaskException e) {
            return e;
        }
        if (t instanceof PulsarException p) {
            if (p.kind() == FailureKind.REMOTE_ERROR) {
                return TaskException.fromWireError(p.getMessage());
            }
            if (p.kind() == FailureKind.UNKNOWN_COMMAND) {
                return new TaskException(TaskFailure.BACKEND, "the arbiter does not serve the task queue (" + p.getMessage()
                        + "): is pulsar-queue on its class path?", p);
            }
            return new TaskException(TaskFailure.BACKEND, "the queue in " + target + " cannot be reached: " + p.getMessage(), p);
        }
        return new TaskException(TaskFailure.BACKEND, "the queue in " + target + " failed: " + t, t);
    }

    private static boolean bool(Object reply) {
        return reply instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(reply);
    }
}
