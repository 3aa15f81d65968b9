package pulsar.redis.impl;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.QueueLimits;
import pulsar.queue.spi.Receipt;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * The queue on Redis Streams. A stream per queue and priority ({@code P:s:QUEUE:PRIORITY}) with
 * the consumer group {@code pulsar}; a task's record in one hash ({@code P:t}); retries in a
 * sorted set by due time; each client's results in its own list ({@code P:r:CLIENT}), read with
 * one blocking {@code BLMPOP} for all its tasks. Every state change is one Lua script
 * ({@code EVALSHA}) that also updates the counters, and submits and acknowledgements are batched
 * (one script call for all the tasks that arrive while the previous call is in flight), so the
 * Redis CPU per task stays small. Blocking reads ({@code XREADGROUP BLOCK}) use connections of
 * their own, never the shared one. Leases and retry times are Redis's clock ({@code TIME},
 * {@code XPENDING}'s idle times): {@code clock} only dates the leases reported to consumers and
 * paces the client's sweeps.
 */
final class RedisBackend implements QueueBackend {
    private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);
    static final String GROUP = "pulsar";
    private static final char US = '\u001f';
    private static final int PRIORITIES = TaskOptions.MAX_PRIORITY + 1;
    private static final int MAX_FETCH = 10_000;
    private static final int MAX_BATCH = 500;
    private static final long RECLAIM_EVERY_MILLIS = 100;
    private static final long JANITOR_EVERY_MILLIS = 200;
    private static final long WATCH_EVERY_MILLIS = 250;
    private static final long REPLY_CHECK_AFTER_MILLIS = 5_000;
    private static final int MAX_WATCHERS = 10_000;
    private static final long CALL_TIMEOUT_MILLIS = 30_000;

    private final RedisSpec spec;
    private final QueueLimits limits;
    private final InstantSource clock;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> main;
    private final StatefulRedisConnection<String, String> replies;
    private final RedisAsyncCommands<String, String> redis;
    private final String prefix;
    private final String clientId;
    private final String replyKey;
    /** What ids made by this JVM's {@link TaskMessage#newId()} start with. */
    private final String freshPrefix;
    private final String[] common;
    private final Map<String, Scripts> scripts = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> ensured = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<TaskOutcome>>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger watcherCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<StatefulRedisConnection<String, String>> idleBlocking = new ConcurrentLinkedQueue<>();
    private final AtomicInteger blockingOpen = new AtomicInteger();
    private final int maxBlocking;
    private final AtomicLong lastReclaim = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
    private final Batcher<Object[], Object> enqueues;
    private final Batcher<String[], Object> acks;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;
    private long ticks;

    private record Pending(CompletableFuture<TaskOutcome> future, long since) {
    }

    /** A fetch blocked in {@code XREADGROUP} on a connection of its own (client id {@code clientId}). */
    private record Blocked(String consumer, long clientId, CompletableFuture<List<Delivery>> result) {
    }

    private final Map<StatefulRedisConnection<String, String>, Long> clientIds = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<Blocked>> blocked = new ConcurrentHashMap<>();

    RedisBackend(RedisSpec spec, QueueLimits limits, InstantSource clock) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.prefix = spec.prefix();
        this.clientId = TaskMessage.newId();
        this.replyKey = prefix + ":r:" + clientId;
        this.freshPrefix = clientId.substring(0, clientId.lastIndexOf('-') + 1);
        this.common = new String[] {prefix, GROUP, Integer.toString(limits.maxResults()), Integer.toString(limits.maxDeadLetters())};
        this.maxBlocking = Math.min(limits.maxWaiters(), 256);
        for (String name : List.of(Scripts.ENQUEUE, Scripts.FETCH, Scripts.ACK, Scripts.FAIL, Scripts.CANCEL, Scripts.RELEASE,
                Scripts.JANITOR, Scripts.STATS)) {
            scripts.put(name, Scripts.of(name));
        }
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisURI uri = spec.uri();
        uri.setClientName(clientName()); // operators tell this client's connections apart in CLIENT LIST
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true).requestQueueSize(1_000_000)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build())
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(5)).keepAlive(true).build())
                .build());
        StatefulRedisConnection<String, String> m = null;
        try {
            m = client.connect(StringCodec.UTF8);
            this.replies = client.connect(StringCodec.UTF8);
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            }
            shutdownClient();
            throw new TaskException(TaskFailure.BACKEND, "cannot reach Redis at " + spec.display() + ": " + rootMessage(e));
        }
        this.main = m;
        this.redis = main.async();
        this.enqueues = new Batcher<>(2, MAX_BATCH, this::sendEnqueues);
        this.acks = new Batcher<>(2, MAX_BATCH, this::sendAcks);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pulsar-redis-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::tick, WATCH_EVERY_MILLIS, WATCH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::janitor, JANITOR_EVERY_MILLIS, JANITOR_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        readReplies();
    }

    /** The name this backend's connections carry in Redis's {@code CLIENT LIST}. */
    String clientName() {
        return "pulsar-" + clientId;
    }

    /** The prefix of this backend's keys. */
    String prefix() {
        return prefix;
    }

    /** The stream of a queue and priority. */
    String streamKey(String queue, int priority) {
        return prefix + ":s:" + queue + ":" + priority;
    }

    // ---- QueueBackend

    @Override
    public CompletableFuture<String> enqueue(TaskMessage task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            return closedFailure();
        }
        if (task.id().indexOf(US) >= 0 || task.name().indexOf(US) >= 0) {
            return failed(TaskFailure.BAD_ARGUMENTS, "task id and name may not hold the character U+001F");
        }
        if (tooLarge(task.args())) {
            return failed(TaskFailure.TOO_LARGE, "the arguments of task '" + task.name() + "' are more than max_task_bytes ("
                    + limits.maxTaskBytes() + " bytes of JSON)");
        }
        if (pending.size() >= limits.maxTasks()) {
            return failed(TaskFailure.QUEUE_FULL, "this client waits for " + pending.size() + " results, the queue's max_tasks; submit later");
        }
        TaskOptions o = task.options();
        String stream = streamKey(o.queue(), o.priority());
        String json = task.toJson();
        Pending p = new Pending(new CompletableFuture<>(), System.nanoTime());
        if (pending.putIfAbsent(task.id(), p) != null) {
            return failed(TaskFailure.BAD_ARGUMENTS, "task id '" + task.id() + "' is already queued");
        }
        // an id this JVM made (TaskMessage.newId) is new to Redis, unless this is a second try
        Object[] item = {task, stream, json, task.id().startsWith(freshPrefix) ? Boolean.FALSE : Boolean.TRUE};
        // sent again if the connection drops with it in flight: a task this client queued already is 'OK' the second time
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<String> result = retrying(() -> {
            if (attempts.getAndIncrement() > 0) {
                item[3] = Boolean.TRUE;
            }
            return ensure(stream).thenCompose(v -> enqueues.add(item));
        }, 0).thenApply(reply -> {
            String r = String.valueOf(reply);
            if (r.startsWith("E:")) {
                throw TaskException.fromWireError(r.substring(2));
            }
            return task.id();
        });
        result = timeout(result, CALL_TIMEOUT_MILLIS * 4, "enqueue");
        return result.whenComplete((id, t) -> {
            if (t != null) {
                pending.remove(task.id(), p);
            }
        }).exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<List<Delivery>> fetch(String consumer, List<String> queues, int max, Duration wait) {
        try {
            if (consumer == null || consumer.isBlank() || consumer.length() > 256 || consumer.indexOf(US) >= 0) {
                throw new IllegalArgumentException("consumer: '" + consumer + "' is not 1 to 256 characters");
            }
            Objects.requireNonNull(queues, "queues");
            if (queues.isEmpty()) {
                throw new IllegalArgumentException("fetch needs at least one queue");
            }
            queues.forEach(TaskOptions::checkQueue);
            if (max < 1 || max > MAX_FETCH) {
                throw new IllegalArgumentException("fetch max: " + max + " is not between 1 and " + MAX_FETCH);
            }
            if (wait == null || wait.isNegative()) {
                throw new IllegalArgumentException("fetch wait: " + wait + " is not zero or positive");
            }
        } catch (IllegalArgumentException e) {
            return failed(TaskFailure.BAD_ARGUMENTS, e.getMessage());
        }
        if (closed) {
            return closedFailure();
        }
        long waitMillis = Math.min(wait.toMillis(), limits.maxFetchWait().toMillis());
        List<String> streams = new ArrayList<>(PRIORITIES * queues.size());
        for (int p = PRIORITIES - 1; p >= 0; p--) {
            for (String q : queues) {
                streams.add(streamKey(q, p));
            }
        }
        long now = System.nanoTime();
        long last = lastReclaim.get();
        boolean reclaim = now - last >= TimeUnit.MILLISECONDS.toNanos(RECLAIM_EVERY_MILLIS) && lastReclaim.compareAndSet(last, now);
        String[] args = new String[7 + streams.size()];
        System.arraycopy(common, 0, args, 0, 4);
        args[4] = consumer;
        args[5] = Integer.toString(max);
        args[6] = reclaim ? "1" : "0";
        for (int i = 0; i < streams.size(); i++) {
            args[7 + i] = streams.get(i);
        }
        CompletableFuture<List<Delivery>> f = ensureAll(streams)
                .thenCompose(v -> scripts.get(Scripts.FETCH).<List<Object>>call(redis, args))
                .thenApply(this::deliveries)
                .thenCompose(got -> got.isEmpty() && waitMillis > 0 && !closed ? blockingFetch(consumer, streams, max, waitMillis)
                        : CompletableFuture.completedFuture(got));
        return f.exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<Boolean> ack(String consumer, Receipt receipt, String resultJson) {
        Objects.requireNonNull(receipt, "receipt");
        if (closed) {
            return closedFailure();
        }
        String result = resultJson == null ? "null" : resultJson;
        String[] token = receipt.token() == null ? new String[0] : receipt.token().split(String.valueOf(US), 7);
        if (token.length != 7) {
            return failed(TaskFailure.BAD_ARGUMENTS, "receipt of task " + receipt.taskId() + ": not a Redis backend's token");
        }
        boolean large = tooLarge(result);
        String kind = large ? "F" : "D";
        String failure = large ? TaskFailure.TOO_LARGE.code() : "";
        String d = Integer.toString(receipt.delivery());
        // the final record and the reply (see common.lua) up to their last field, which the script appends
        String recordHead = kind + US + d + US + token[0] + US + US + token[3] + US + token[4] + US + token[5] + US + token[6]
                + US + failure + US;
        String replyHead = receipt.taskId() + US + kind + US + failure + US;
        String[] item = {receipt.taskId(), d, kind,
            large ? "the result of task " + receipt.taskId() + " is more than max_task_bytes (" + limits.maxTaskBytes() + " bytes of JSON)"
                : result,
            token[0], token[1], token[3], recordHead, replyHead, US + token[1] + US};
        // sent again if the connection drops with it in flight (a second ack of a finished task is a no-op)
        return timeout(retrying(() -> acks.add(item), 0), CALL_TIMEOUT_MILLIS * 4, "ack").thenApply(r -> r instanceof Long l && l == 1L)
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<Boolean> fail(String consumer, Receipt receipt, TaskFailure failure, String error, boolean retry) {
        Objects.requireNonNull(receipt, "receipt");
        if (closed) {
            return closedFailure();
        }
        String[] token = receipt.token() == null ? new String[0] : receipt.token().split(String.valueOf(US), 7);
        if (token.length != 7) {
            return failed(TaskFailure.BAD_ARGUMENTS, "receipt of task " + receipt.taskId() + ": not a Redis backend's token");
        }
        TaskFailure kind = failure == null ? TaskFailure.TASK_ERROR : failure;
        String text = error == null ? "" : error.replace(US, ' ');
        String[] args = concat(common, receipt.taskId(), token[0], token[1], Integer.toString(receipt.delivery()), kind.code(),
                text, retry ? "1" : "0", token[2]);
        return call(Scripts.FAIL, args).thenApply(r -> number(r) == 1L);
    }

    @Override
    public CompletableFuture<Integer> release(String consumer) {
        if (closed) {
            return closedFailure();
        }
        lastReclaim.set(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        // its blocked fetches end, empty, before its entries move: CLIENT UNBLOCK goes first on the shared connection
        java.util.Set<Blocked> mine = blocked.remove(consumer);
        if (mine != null) {
            for (Blocked b : mine) {
                redis.clientUnblock(b.clientId(), io.lettuce.core.UnblockType.TIMEOUT);
                b.result().complete(List.of());
            }
        }
        return call(Scripts.RELEASE, concat(common, consumer)).thenApply(r -> (int) number(r));
    }

    @Override
    public CompletableFuture<Boolean> cancel(String id) {
        if (closed) {
            return closedFailure();
        }
        return call(Scripts.CANCEL, concat(common, id)).thenApply(r -> number(r) == 1L);
    }

    @Override
    public CompletableFuture<TaskOutcome> result(String id) {
        if (closed) {
            return closedFailure();
        }
        Pending p = pending.get(id);
        if (p != null) {
            return p.future().copy();
        }
        return timeout(redis.hget(prefix + ":t", id).toCompletableFuture(), CALL_TIMEOUT_MILLIS, "result").thenCompose(rec -> {
            if (rec == null) {
                return CompletableFuture.<TaskOutcome>failedFuture(new TaskException(TaskFailure.NO_SUCH_TASK,
                        "no task '" + id + "' (unknown, or its outcome is no longer kept)"));
            }
            Record r = Record.parse(rec);
            if (r.isFinal()) {
                return CompletableFuture.completedFuture(r.outcome(id));
            }
            Pending mine = pending.get(id);
            if (mine != null) {
                return mine.future().copy();
            }
            if (watcherCount.incrementAndGet() > MAX_WATCHERS) {
                watcherCount.decrementAndGet();
                return CompletableFuture.<TaskOutcome>failedFuture(new TaskException(TaskFailure.QUEUE_FULL,
                        MAX_WATCHERS + " callers already wait for results of other clients' tasks"));
            }
            CompletableFuture<TaskOutcome> f = new CompletableFuture<>();
            watchers.computeIfAbsent(id, k -> new CopyOnWriteList()).add(f);
            f.whenComplete((o, t) -> forgetWatcher(id, f));
            return f;
        }).exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<TaskStatus> status(String id) {
        if (closed) {
            return closedFailure();
        }
        return timeout(redis.hget(prefix + ":t", id).toCompletableFuture(), CALL_TIMEOUT_MILLIS, "status").thenCompose(rec -> {
            if (rec == null) {
                return CompletableFuture.<TaskStatus>completedFuture(null);
            }
            Record r = Record.parse(rec);
            if (r.state() != 'Q' || r.entry().isEmpty()) {
                return CompletableFuture.completedFuture(r.status(id, TaskState.QUEUED, r.deliveries()));
            }
            return redis.xpending(r.stream(), GROUP, Range.create(r.entry(), r.entry()), Limit.from(1)).toCompletableFuture()
                    .thenApply(list -> {
                        if (list.isEmpty()) {
                            return r.status(id, TaskState.QUEUED, r.deliveries());
                        }
                        PendingMessage pm = list.get(0);
                        int d = r.deliveries() + (int) pm.getRedeliveryCount();
                        boolean expired = pm.getMsSinceLastDelivery() >= r.leaseMillis();
                        return r.status(id, expired ? TaskState.QUEUED : TaskState.RUNNING, d);
                    });
        }).exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<List<TaskStatus>> deadLetters(int limit) {
        if (limit < 1) {
            return failed(TaskFailure.BAD_ARGUMENTS, "dead letter limit: " + limit + " is not positive");
        }
        if (closed) {
            return closedFailure();
        }
        return redis.lrange(prefix + ":dead", -Math.min(limit, limits.maxDeadLetters()), -1).toCompletableFuture()
                .thenCompose(ids -> ids.isEmpty() ? CompletableFuture.completedFuture(List.<KeyValue<String, String>>of())
                        : redis.hmget(prefix + ":t", ids.toArray(String[]::new)).toCompletableFuture())
                .thenApply(kvs -> {
                    List<TaskStatus> out = new ArrayList<>(kvs.size());
                    for (KeyValue<String, String> kv : kvs) {
                        if (kv.hasValue()) {
                            Record r = Record.parse(kv.getValue());
                            out.add(r.status(kv.getKey(), TaskState.DEAD, r.deliveries()));
                        }
                    }
                    return List.copyOf(out);
                })
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    @Override
    public CompletableFuture<QueueStats> stats() {
        if (closed) {
            return closedFailure();
        }
        return call(Scripts.STATS, common).thenApply(reply -> {
            List<?> r = (List<?>) reply;
            Map<String, Long> counters = new HashMap<>();
            List<?> flat = (List<?>) r.get(0);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                counters.put(String.valueOf(flat.get(i)), Long.parseLong(String.valueOf(flat.get(i + 1))));
            }
            List<?> per = (List<?>) r.get(1);
            long queued = 0;
            long running = 0;
            Map<String, Long> byQueue = new TreeMap<>();
            String streamPrefix = prefix + ":s:";
            for (int i = 0; i + 2 < per.size(); i += 3) {
                String s = String.valueOf(per.get(i));
                long len = (Long) per.get(i + 1);
                long pend = (Long) per.get(i + 2);
                long waiting = Math.max(0, len - pend);
                queued += waiting;
                running += pend;
                if (waiting > 0 && s.startsWith(streamPrefix) && s.length() > streamPrefix.length() + 2) {
                    byQueue.merge(s.substring(streamPrefix.length(), s.length() - 2), waiting, Long::sum);
                }
            }
            long scheduled = (Long) r.get(2);
            double submitRate = ((Long) r.get(3)) / 10.0;
            double doneRate = ((Long) r.get(4)) / 10.0;
            return new QueueStats(queued, scheduled, running, counters.getOrDefault("submitted", 0L), counters.getOrDefault("D", 0L),
                    counters.getOrDefault("F", 0L), counters.getOrDefault("X", 0L), counters.getOrDefault("C", 0L),
                    counters.getOrDefault("redelivered", 0L), submitRate, doneRate, byQueue);
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        TaskException gone = new TaskException(TaskFailure.BACKEND, "the Redis queue backend was closed");
        pending.values().forEach(p -> p.future().completeExceptionally(gone));
        pending.clear();
        watchers.values().forEach(list -> list.forEach(f -> f.completeExceptionally(gone)));
        watchers.clear();
        idleBlocking.clear();
        shutdownClient(); // closes every connection of the client
    }

    // ---- enqueue and ack batches

    private CompletableFuture<List<Object>> sendEnqueues(List<Object[]> items) {
        if (closed) {
            return closedFailure();
        }
        List<String> args = new ArrayList<>(8 + items.size() * 5);
        args.addAll(List.of(common));
        args.add(clientId);
        args.add(Integer.toString(limits.maxTasks()));
        long minLease = Long.MAX_VALUE;
        for (Object[] it : items) {
            minLease = Math.min(minLease, ((TaskMessage) it[0]).options().timeoutMillis());
        }
        args.add(Long.toString(minLease));
        boolean check = false;
        for (Object[] it : items) {
            check |= (Boolean) it[3];
        }
        args.add(check ? "1" : "0");
        for (Object[] it : items) {
            TaskMessage m = (TaskMessage) it[0];
            String stream = (String) it[1];
            args.add(m.id());
            args.add(stream);
            args.add((String) it[2]);
            // the record (see common.lua) around its entry id, joined by the script
            args.add("Q" + US + "0" + US + stream + US);
            args.add(String.valueOf(US) + clientId + US + m.options().maxDeliveries() + US + m.options().timeoutMillis() + US
                    + m.name() + US + US);
        }
        return scripts.get(Scripts.ENQUEUE).call(redis, args.toArray(String[]::new));
    }

    private CompletableFuture<List<Object>> sendAcks(List<String[]> items) {
        if (closed) {
            return closedFailure();
        }
        List<String> args = new ArrayList<>(4 + items.size() * 10);
        args.addAll(List.of(common));
        for (String[] it : items) {
            args.addAll(List.of(it));
        }
        return scripts.get(Scripts.ACK).call(redis, args.toArray(String[]::new));
    }

    // ---- fetch

    private List<Delivery> deliveries(List<Object> flat) {
        List<Delivery> out = new ArrayList<>(flat.size() / 5);
        long now = clock.millis();
        for (int i = 0; i + 4 < flat.size(); i += 5) {
            Delivery d = delivery(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)), (String) flat.get(i + 2),
                    ((Long) flat.get(i + 3)).intValue(), String.valueOf(flat.get(i + 4)), now);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * A delivery; its token carries what the acknowledgement needs (so that the ack script need
     * not read the task's record): stream, entry, backoff of a retry, reply client, max
     * deliveries, lease, name.
     */
    private Delivery delivery(String stream, String entry, String json, int number, String replyTo, long now) {
        TaskMessage m;
        try {
            m = TaskMessage.fromJson(json);
        } catch (RuntimeException e) {
            log.warn("redis queue: entry {} of {} is not a task message, skipped (it becomes a dead letter or is dropped): {}",
                    entry, stream, e.getMessage());
            return null;
        }
        String token = stream + US + entry + US + m.options().backoffMillis(number) + US + replyTo + US
                + m.options().maxDeliveries() + US + m.options().timeoutMillis() + US + m.name();
        return new Delivery(m, number, now + m.options().timeoutMillis(), token);
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<List<Delivery>> blockingFetch(String consumer, List<String> streams, int max, long waitMillis) {
        StatefulRedisConnection<String, String> idle = idleBlocking.poll();
        CompletableFuture<StatefulRedisConnection<String, String>> conn;
        if (idle != null) {
            conn = CompletableFuture.completedFuture(idle);
        } else if (blockingOpen.incrementAndGet() > maxBlocking) {
            blockingOpen.decrementAndGet();
            return failed(TaskFailure.QUEUE_FULL, maxBlocking + " fetches of this client already wait for tasks");
        } else {
            conn = client.connectAsync(StringCodec.UTF8, spec.uri()).toCompletableFuture();
            conn.whenComplete((c, t) -> {
                if (t != null) {
                    blockingOpen.decrementAndGet();
                }
            });
        }
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[streams.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = XReadArgs.StreamOffset.lastConsumed(streams.get(i));
        }
        CompletableFuture<List<Delivery>> result = new CompletableFuture<>();
        conn.thenCompose(c -> {
            Long known = clientIds.get(c);
            return known != null ? CompletableFuture.completedFuture(c)
                    : c.async().clientId().toCompletableFuture().thenApply(id -> {
                        clientIds.put(c, id);
                        return c;
                    });
        }).thenCompose(c -> {
            Blocked waiting = new Blocked(consumer, clientIds.get(c), result);
            blocked.computeIfAbsent(consumer, k -> ConcurrentHashMap.newKeySet()).add(waiting);
            result.whenComplete((v, t) -> {
                java.util.Set<Blocked> set = blocked.get(consumer);
                if (set != null && set.remove(waiting) && set.isEmpty()) {
                    blocked.remove(consumer, set);
                }
            });
            CompletableFuture<List<StreamMessage<String, String>>> read = c.async()
                    .xreadgroup(Consumer.from(GROUP, consumer), XReadArgs.Builder.block(Math.max(1, waitMillis)).count(max), offsets)
                    .toCompletableFuture();
            return read.orTimeout(waitMillis + CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).handle((msgs, t) -> {
                if (t == null && !closed) {
                    idleBlocking.add(c);
                } else {
                    blockingOpen.decrementAndGet();
                    clientIds.remove(c);
                    if (!closed && c.isOpen()) {
                        c.closeAsync(); // after close() the client's shutdown closes it (twice would log a warning)
                    }
                }
                if (t != null) {
                    if (String.valueOf(t.getMessage()).contains("NOGROUP")) {
                        ensured.clear();
                    }
                    throw new CompletionException(t);
                }
                long now = clock.millis();
                List<Delivery> out = new ArrayList<>(msgs == null ? 0 : msgs.size());
                if (msgs != null) {
                    for (StreamMessage<String, String> sm : msgs) {
                        Map<String, String> body = sm.getBody();
                        if (body == null || body.get("m") == null) {
                            continue;
                        }
                        String b = body.get("b");
                        Delivery d = delivery(sm.getStream(), sm.getId(), body.get("m"), (b == null ? 0 : Integer.parseInt(b)) + 1,
                                body.getOrDefault("r", ""), now);
                        if (d != null) {
                            out.add(d);
                        }
                    }
                }
                return out;
            });
        }).whenComplete((got, t) -> {
            if (t != null) {
                result.completeExceptionally(t);
            } else if (!result.complete(got) && !got.isEmpty() && !closed) {
                // the fetch ended (its consumer was released) as these arrived: they go back at once
                log.debug("redis queue: {} tasks arrived for released consumer {}", got.size(), consumer);
                release(consumer);
            }
        });
        return result;
    }

    // ---- streams and their group

    private CompletableFuture<Void> ensure(String stream) {
        CompletableFuture<Void> f = ensured.get(stream);
        if (f != null && !f.isCompletedExceptionally()) {
            return f;
        }
        CompletableFuture<Void> made = redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP,
                XGroupCreateArgs.Builder.mkstream()).toCompletableFuture()
                .handle((ok, t) -> {
                    if (t != null && !String.valueOf(t.getMessage()).contains("BUSYGROUP")) {
                        throw new CompletionException(t);
                    }
                    return null;
                })
                .thenCompose(v -> redis.sadd(prefix + ":streams", stream).toCompletableFuture())
                .thenApply(n -> (Void) null);
        ensured.put(stream, made);
        made.whenComplete((v, t) -> {
            if (t != null) {
                ensured.remove(stream, made);
            }
        });
        return made;
    }

    private CompletableFuture<Void> ensureAll(List<String> streams) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[streams.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = ensure(streams.get(i));
        }
        return CompletableFuture.allOf(all);
    }

    // ---- results

    /** One blocking read at a time for all of this client's results. */
    private void readReplies() {
        if (closed) {
            return;
        }
        replies.async().blmpop(1.0, LMPopArgs.Builder.left().count(1000), replyKey).toCompletableFuture().whenComplete((kv, t) -> {
            if (closed) {
                return;
            }
            if (t != null) {
                log.debug("redis queue: reading results failed, again shortly: {}", t.toString());
                try {
                    timer.schedule(this::readReplies, 100, TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    // closed meanwhile
                }
                return;
            }
            if (kv != null && kv.hasValue()) {
                for (String reply : kv.getValue()) {
                    deliverReply(reply);
                }
            }
            readReplies();
        });
    }

    private void deliverReply(String reply) {
        int a = reply.indexOf(US);
        int b = reply.indexOf(US, a + 1);
        int c = reply.indexOf(US, b + 1);
        if (a < 0 || b < 0 || c < 0) {
            log.warn("redis queue: a malformed result on {} was dropped", replyKey);
            return;
        }
        String id = reply.substring(0, a);
        TaskOutcome outcome = outcome(id, reply.charAt(a + 1), reply.substring(b + 1, c), reply.substring(c + 1));
        Pending p = pending.remove(id);
        if (p != null) {
            p.future().complete(outcome);
        }
    }

    static TaskOutcome outcome(String id, char state, String failure, String body) {
        return switch (state) {
            case 'D' -> TaskOutcome.done(id, body);
            case 'F' -> new TaskOutcome(id, TaskState.FAILED, null, failureOf(failure, TaskFailure.TASK_ERROR), body);
            case 'X' -> new TaskOutcome(id, TaskState.DEAD, null, TaskFailure.DEAD_LETTER, body);
            default -> new TaskOutcome(id, TaskState.CANCELLED, null, TaskFailure.CANCELLED, body);
        };
    }

    static TaskFailure failureOf(String code, TaskFailure otherwise) {
        TaskFailure f = TaskFailure.ofCode(code);
        return f == null ? otherwise : f;
    }

    private void forgetWatcher(String id, CompletableFuture<TaskOutcome> f) {
        List<CompletableFuture<TaskOutcome>> list = watchers.get(id);
        if (list != null && list.remove(f)) {
            watcherCount.decrementAndGet();
            if (list.isEmpty()) {
                watchers.remove(id, list);
            }
        }
    }

    /** Polls the tasks of other clients that callers wait for, and this client's old tasks (a result lost with a connection). */
    private void tick() {
        try {
            if (closed) {
                return;
            }
            List<String> ids = new ArrayList<>(watchers.keySet());
            if (++ticks % 8 == 0) {
                long old = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(REPLY_CHECK_AFTER_MILLIS);
                for (Map.Entry<String, Pending> e : pending.entrySet()) {
                    if (e.getValue().since() - old < 0 && ids.size() < 5_000) {
                        ids.add(e.getKey());
                    }
                }
            }
            for (int from = 0; from < ids.size(); from += 1000) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
                redis.hmget(prefix + ":t", chunk.toArray(String[]::new)).thenAccept(this::settleFromRecords);
            }
        } catch (RuntimeException e) {
            log.warn("redis queue: the result poll failed", e);
        }
    }

    private void settleFromRecords(List<KeyValue<String, String>> kvs) {
        for (KeyValue<String, String> kv : kvs) {
            String id = kv.getKey();
            if (!kv.hasValue()) {
                List<CompletableFuture<TaskOutcome>> list = watchers.remove(id);
                if (list != null) {
                    TaskException none = new TaskException(TaskFailure.NO_SUCH_TASK, "no task '" + id + "' (its outcome is no longer kept)");
                    list.forEach(f -> f.completeExceptionally(none));
                }
                continue;
            }
            Record r = Record.parse(kv.getValue());
            if (!r.isFinal()) {
                continue;
            }
            TaskOutcome o = r.outcome(id);
            Pending p = pending.remove(id);
            if (p != null) {
                p.future().complete(o);
            }
            List<CompletableFuture<TaskOutcome>> list = watchers.remove(id);
            if (list != null) {
                list.forEach(f -> f.complete(o));
            }
        }
    }

    private void janitor() {
        if (closed) {
            return;
        }
        try {
            scripts.get(Scripts.JANITOR).call(redis, common).whenComplete((v, t) -> {
                if (t != null && !closed) {
                    log.debug("redis queue: janitor failed: {}", t.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("redis queue: janitor failed", e);
        }
    }

    // ---- helpers

    private static final int RETRIES = 5;

    /**
     * Runs {@code call} again (after 100, 200, 400 ms ...) when it fails for a lost connection,
     * up to {@link #RETRIES} times: for calls that are safe to repeat. Errors Redis answered are
     * not retried.
     */
    private <T> CompletableFuture<T> retrying(java.util.function.Supplier<CompletableFuture<T>> call, int attempt) {
        return call.get().exceptionallyCompose(t -> {
            Throwable c = t;
            while (c instanceof CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            boolean connection = c instanceof java.io.IOException || c instanceof io.lettuce.core.RedisConnectionException;
            if (closed || attempt >= RETRIES || !connection) {
                return CompletableFuture.failedFuture(t);
            }
            CompletableFuture<T> again = new CompletableFuture<>();
            try {
                timer.schedule(() -> retrying(call, attempt + 1).whenComplete((v, e) -> {
                    if (e != null) {
                        again.completeExceptionally(e);
                    } else {
                        again.complete(v);
                    }
                }), 100L << attempt, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(t);
            }
            return again;
        });
    }

    private <T> CompletableFuture<T> call(String script, String[] args) {
        return timeout(scripts.get(script).<T>call(redis, args), CALL_TIMEOUT_MILLIS, script)
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(taskException(t)));
    }

    private static <T> CompletableFuture<T> timeout(CompletableFuture<T> f, long millis, String what) {
        return f.orTimeout(millis, TimeUnit.MILLISECONDS);
    }

    private TaskException taskException(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof TaskException te) {
            return te;
        }
        if (c instanceof TimeoutException) {
            return new TaskException(TaskFailure.BACKEND, "Redis at " + spec.display() + " did not answer in time");
        }
        if (closed) {
            return new TaskException(TaskFailure.BACKEND, "the Redis queue backend was closed");
        }
        return new TaskException(TaskFailure.BACKEND, "Redis at " + spec.display() + ": " + rootMessage(c), c);
    }

    private boolean tooLarge(String json) {
        int max = limits.maxTaskBytes();
        if (json.length() > max) {
            return true;
        }
        return (long) json.length() * 3 > max && json.getBytes(StandardCharsets.UTF_8).length > max;
    }

    /** Closes every connection, then (once they are closed) the client's threads. */
    private void shutdownClient() {
        CompletableFuture<Void> closedConnections;
        try {
            closedConnections = client.shutdownAsync(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.debug("redis queue: client shutdown", e);
            closedConnections = CompletableFuture.completedFuture(null);
        }
        closedConnections.whenComplete((v, t) -> resources.shutdown(100, 2_000, TimeUnit.MILLISECONDS));
    }

    /** A script's integer reply (Lettuce's MULTI output gives it in a list of one). */
    private static long number(Object reply) {
        Object r = reply instanceof List<?> list && list.size() == 1 ? list.get(0) : reply;
        return r instanceof Long l ? l : 0L;
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = new String[head.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return (m == null || m.isBlank() ? c.getClass().getSimpleName() : m).lines().findFirst().orElse("");
    }

    private static <T> CompletableFuture<T> failed(TaskFailure kind, String message) {
        return CompletableFuture.failedFuture(new TaskException(kind, message));
    }

    private static <T> CompletableFuture<T> closedFailure() {
        return failed(TaskFailure.BACKEND, "the Redis queue backend is closed");
    }

    /** A thread-safe list for the few callers waiting on one task. */
    private static final class CopyOnWriteList extends java.util.concurrent.CopyOnWriteArrayList<CompletableFuture<TaskOutcome>> {
        private static final long serialVersionUID = 1L;
    }

    /** A task's record in {@code P:t}: ten fields separated by U+001F (see common.lua). */
    record Record(char state, int deliveries, String stream, String entry, String client, int maxDeliveries, long leaseMillis,
            String name, String failure, String text) {
        static Record parse(String s) {
            String[] f = s.split(String.valueOf(US), 10);
            if (f.length != 10) {
                throw new TaskException(TaskFailure.BACKEND, "a malformed task record in Redis: " + s.substring(0, Math.min(80, s.length())));
            }
            return new Record(f[0].isEmpty() ? '?' : f[0].charAt(0), Integer.parseInt(f[1]), f[2], f[3], f[4], Integer.parseInt(f[5]),
                    Long.parseLong(f[6]), f[7], f[8], f[9]);
        }

        boolean isFinal() {
            return state != 'Q' && state != 'S';
        }

        TaskOutcome outcome(String id) {
            return RedisBackend.outcome(id, state, failure, text);
        }

        String queue() {
            int colon = stream.lastIndexOf(':');
            int start = stream.indexOf(":s:");
            return start < 0 || colon <= start ? "" : stream.substring(start + 3, colon);
        }

        int priority() {
            return stream.isEmpty() ? 0 : Character.digit(stream.charAt(stream.length() - 1), 10);
        }

        TaskStatus status(String id, TaskState liveState, int d) {
            TaskState st = switch (state) {
                case 'Q' -> liveState;
                case 'S' -> TaskState.SCHEDULED;
                case 'D' -> TaskState.DONE;
                case 'F' -> TaskState.FAILED;
                case 'X' -> TaskState.DEAD;
                default -> TaskState.CANCELLED;
            };
            TaskFailure kind = failure.isEmpty() ? null : failureOf(failure, TaskFailure.TASK_ERROR);
            String error = state == 'D' || text.isEmpty() ? null : text;
            return new TaskStatus(id, name, queue(), Math.max(0, priority()), st, d, maxDeliveries, state == 'D' ? null : kind, error);
        }
    }
}
