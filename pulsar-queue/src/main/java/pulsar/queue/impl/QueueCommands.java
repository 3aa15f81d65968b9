package pulsar.queue.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pulsar.Actor;
import pulsar.Command;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.Receipt;
import pulsar.queue.spi.TaskMessage;

/**
 * The embedded queue's wire commands, served by the arbiter (docs/task-queue.md). Arguments are
 * RESP strings or integers; messages, deliveries, outcomes and statuses are JSON strings. A
 * failure is a RESP error whose first word is a {@link TaskFailure} code. Waits (fetch, result)
 * complete the reply later and never hold the arbiter's loop.
 */
final class QueueCommands {
    private static final long MAX_WAIT_MILLIS = Duration.ofSeconds(60).toMillis();

    private QueueCommands() {
    }

    /** {@code task_submit MESSAGE_JSON} → the task id. */
    @Command("task_submit")
    public static Object submit(Actor actor, String json) {
        QueueBackend b = backend(actor);
        TaskMessage m = wire(() -> Json.readMessage(json, System.currentTimeMillis()));
        return reply(b.enqueue(m));
    }

    /** {@code task_fetch CONSUMER QUEUE[,QUEUE...] MAX WAIT_MS} → an array of delivery JSON strings. */
    @Command("task_fetch")
    public static Object fetch(Actor actor, String consumer, String queues, Object max, Object waitMillis) {
        QueueBackend b = backend(actor);
        List<String> names = Arrays.stream(queues.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        long wait = Math.min(number(waitMillis, "wait_ms"), MAX_WAIT_MILLIS);
        return reply(b.fetch(consumer, names, (int) number(max, "max"), Duration.ofMillis(Math.max(0, wait)))
                .thenApply(list -> list.stream().map(Json::writeDelivery).toList()));
    }

    /** {@code task_ack CONSUMER ID DELIVERY TOKEN RESULT_JSON} → 1 if this finished the task, else 0. */
    @Command("task_ack")
    public static Object ack(Actor actor, String consumer, String id, Object delivery, String token, String result) {
        QueueBackend b = backend(actor);
        try {
            Json.MAPPER.readTree(result);
        } catch (JsonProcessingException e) {
            throw wireError(new TaskException(TaskFailure.BAD_ARGUMENTS, "the result is not valid JSON: " + e.getOriginalMessage()));
        }
        return reply(b.ack(consumer, new Receipt(id, (int) number(delivery, "delivery"), token), result).thenApply(QueueCommands::flag));
    }

    /**
     * {@code task_acks CONSUMER ID DELIVERY TOKEN RESULT_JSON [CONSUMER ID DELIVERY TOKEN RESULT_JSON ...]}:
     * several acknowledgements at once → an array of 1 or 0, one per acknowledgement, in order. A
     * result that is not valid JSON answers 0 and fails its task with {@code BAD_ARGUMENTS}; the
     * others are not affected.
     */
    @Command("task_acks")
    public static Object acks(Actor actor, List<Object> args) {
        QueueBackend b = backend(actor);
        if (args.isEmpty() || args.size() % 5 != 0) {
            throw wireError(new TaskException(TaskFailure.BAD_ARGUMENTS, "task_acks takes groups of CONSUMER ID DELIVERY TOKEN RESULT_JSON, "
                    + args.size() + " arguments given"));
        }
        List<CompletableFuture<Long>> each = new java.util.ArrayList<>(args.size() / 5);
        for (int i = 0; i < args.size(); i += 5) {
            String consumer = String.valueOf(args.get(i));
            Receipt r = new Receipt(String.valueOf(args.get(i + 1)), (int) number(args.get(i + 2), "delivery"), String.valueOf(args.get(i + 3)));
            String result = String.valueOf(args.get(i + 4));
            if (validJson(result)) {
                each.add(b.ack(consumer, r, result).thenApply(QueueCommands::flag));
            } else {
                each.add(b.fail(consumer, r, TaskFailure.BAD_ARGUMENTS, "the worker's result is not valid JSON", false)
                        .thenApply(ok -> 0L));
            }
        }
        return reply(CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList()));
    }

    private static boolean validJson(String text) {
        try {
            Json.MAPPER.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** {@code task_fail CONSUMER ID DELIVERY TOKEN FAILURE ERROR RETRY} → 1, or 0 for a delivery no longer current. */
    @Command("task_fail")
    public static Object fail(Actor actor, String consumer, String id, Object delivery, String token, String failure,
            String error, Object retry) {
        QueueBackend b = backend(actor);
        TaskFailure kind = TaskFailure.ofCode(failure);
        if (kind == null) {
            throw wireError(new TaskException(TaskFailure.BAD_ARGUMENTS, "unknown failure code '" + failure + "'"));
        }
        return reply(b.fail(consumer, new Receipt(id, (int) number(delivery, "delivery"), token), kind, error,
                number(retry, "retry") != 0).thenApply(QueueCommands::flag));
    }

    /** {@code task_release CONSUMER} → how many of its tasks went back to their queues. */
    @Command("task_release")
    public static Object release(Actor actor, String consumer) {
        return reply(backend(actor).release(consumer).thenApply(n -> (long) n));
    }

    /** {@code task_cancel ID} → 1 if cancelled, 0 if running, finished or unknown. */
    @Command("task_cancel")
    public static Object cancel(Actor actor, String id) {
        return reply(backend(actor).cancel(id).thenApply(QueueCommands::flag));
    }

    /** {@code task_result ID [WAIT_MS]} → the outcome JSON, or nil if the task has not finished within the wait. */
    @Command("task_result")
    public static Object result(Actor actor, List<Object> args) {
        QueueBackend b = backend(actor);
        if (args.isEmpty() || args.size() > 2) {
            throw new IllegalArgumentException("wrong number of arguments for 'task_result' command");
        }
        String id = String.valueOf(args.get(0));
        long wait = args.size() > 1 ? Math.min(number(args.get(1), "wait_ms"), MAX_WAIT_MILLIS) : 0;
        CompletableFuture<pulsar.queue.spi.TaskOutcome> f = b.result(id);
        if (wait > 0) {
            f.completeOnTimeout(null, wait, TimeUnit.MILLISECONDS);
        } else if (!f.isDone()) {
            f.complete(null);
        }
        return reply(f.thenApply(o -> o == null ? null : Json.writeOutcome(o)));
    }

    /** {@code task_status ID} → the status JSON, or nil. */
    @Command("task_status")
    public static Object status(Actor actor, String id) {
        return reply(backend(actor).status(id).thenApply(s -> s == null ? null : Json.writeStatus(s)));
    }

    /** {@code task_dead [LIMIT]} → the latest dead letters' status JSON, oldest first (100 by default). */
    @Command("task_dead")
    public static Object dead(Actor actor, List<Object> args) {
        QueueBackend b = backend(actor);
        int limit = args.isEmpty() ? 100 : (int) number(args.get(0), "limit");
        return reply(b.deadLetters(limit).thenApply(list -> list.stream().map(Json::writeStatus).toList()));
    }

    /** {@code task_stats} → the statistics JSON. */
    @Command("task_stats")
    public static Object stats(Actor actor) {
        return reply(backend(actor).stats().thenApply(Json::writeStats));
    }

    // ----

    private static QueueBackend backend(Actor actor) {
        if (!actor.isArbiter()) {
            throw wireError(new TaskException(TaskFailure.BACKEND, "the task queue commands are served by the arbiter, not by "
                    + actor.aid()));
        }
        return QueueRuntime.local();
    }

    private static <T> CompletionStage<T> reply(CompletableFuture<T> f) {
        return f.exceptionally(t -> {
            throw wireError(t);
        });
    }

    private static Long flag(Boolean b) {
        return b ? 1L : 0L;
    }

    private static <T> T wire(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (TaskException e) {
            throw wireError(e);
        }
    }

    /** A RESP error whose first word is the failure code: {@code -ERR CODE message}. */
    private static IllegalArgumentException wireError(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TaskException e) {
            return new IllegalArgumentException(e.toWireError());
        }
        if (t instanceof IllegalArgumentException e) {
            return new IllegalArgumentException(TaskFailure.BAD_ARGUMENTS.code() + " " + e.getMessage());
        }
        return new IllegalArgumentException(TaskFailure.BACKEND.code() + " " + t);
    }

    private static long number(Object v, String what) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw wireError(new TaskException(TaskFailure.BAD_ARGUMENTS, what + " must be an integer, not '" + v + "'"));
        }
    }
}
