package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.ActorProxy;
import pulsar.ActorProxyFuture;
import pulsar.ActorState;
import pulsar.Arbiter;
import pulsar.Concurrency;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.command.CommandContext;
import pulsar.impl.command.CommandHandler;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.ClientPool;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.resp.RespSimple;

/**
 * The arbiter: spawns actors, takes their handshakes and notifications, stops those that fall
 * silent and answers {@code whereis}. One per JVM; it can be stopped and started again.
 */
public final class ArbiterImpl extends AbstractActor implements Arbiter {
    private static final Logger log = LoggerFactory.getLogger(ArbiterImpl.class);
    private static final ArbiterImpl INSTANCE = new ArbiterImpl();

    private final Map<String, ActorRecord> records = new ConcurrentHashMap<>();
    /** The last actors that exited, newest last, for {@code info}. */
    private final java.util.Deque<Map<String, Object>> exited = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private volatile CompletableFuture<Arbiter> started = new CompletableFuture<>();
    private volatile CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
    private volatile MailboxConfig clientConfig;
    private pulsar.EventLoop.Handle supervision;

    private ArbiterImpl() {
        super("arbiter", "arbiter", Concurrency.THREAD, Map.of());
        this.settings = Settings.fromEnvironment();
    }

    /** This JVM's arbiter. */
    public static ArbiterImpl instance() {
        return INSTANCE;
    }

    @Override
    public boolean isArbiter() {
        return true;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public synchronized Arbiter configure(Settings settings) {
        if (state != ActorState.INITIAL && state != ActorState.STOPPED) {
            throw new IllegalStateException("configure: the arbiter is " + state.wireName() + "; stop it first");
        }
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.clientConfig = null;
        return this;
    }

    /** The configuration of connections this JVM opens to mailboxes. */
    MailboxConfig clientConfig() {
        MailboxConfig c = mailboxConfig;
        if (c != null) {
            return c;
        }
        c = clientConfig;
        if (c == null) {
            clientConfig = c = MailboxConfig.of(settings);
        }
        return c;
    }

    private void prepare(EventLoopImpl newLoop) {
        if (state == ActorState.STOPPING) {
            throw new IllegalStateException("the arbiter is stopping: wait for stop() to complete before starting it again");
        }
        mailboxConfig = MailboxConfig.of(settings);
        state = ActorState.STARTING;
        started = new CompletableFuture<>();
        stopped = new CompletableFuture<>();
        loop = newLoop;
        loop.bind(this);
        loop.execute(this::boot);
    }

    @Override
    public synchronized CompletableFuture<Arbiter> start() {
        if (state == ActorState.RUNNING || state == ActorState.STARTING) {
            return started;
        }
        prepare(EventLoopImpl.onNewThread("pulsar-arbiter"));
        return started;
    }

    @Override
    public void run() {
        EventLoopImpl l = EventLoopImpl.forCallingThread("pulsar-arbiter");
        synchronized (this) {
            if (state == ActorState.RUNNING || state == ActorState.STARTING) {
                throw new IllegalStateException("the arbiter is already running");
            }
            prepare(l);
        }
        l.runInCallingThread();
        stopped.join();
    }

    private void boot() {
        startedNanos = System.nanoTime();
        openMailbox(settings.arbiterPort()).whenComplete((m, e) -> loop.execute(() -> {
            if (e != null) {
                log.error("the arbiter cannot open its mailbox on {}:{}", settings.bind(), settings.arbiterPort(), Failures.unwrap(e));
                state = ActorState.STOPPED;
                loop.stop().whenComplete((x, y) -> {
                    stopped.complete(null);
                    started.completeExceptionally(Failures.unwrap(e));
                });
                return;
            }
            state = ActorState.RUNNING;
            ProcessActors.replenish(settings);
            Duration tick = settings.notifyInterval().compareTo(Duration.ofSeconds(1)) < 0 ? settings.notifyInterval() : Duration.ofSeconds(1);
            supervision = loop.callRepeatedly(tick, this::supervise);
            log.info("arbiter running, mailbox {}:{}", m.address().getHostString(), m.address().getPort());
            started.complete(this);
        }));
    }

    @Override
    public boolean isRunning() {
        return state == ActorState.RUNNING;
    }

    @Override
    public List<ActorProxy> actors() {
        List<ActorProxy> out = new ArrayList<>();
        for (ActorRecord r : records.values()) {
            if (r.future.isDone() && !r.future.isCompletedExceptionally() && !r.abandoned) {
                out.add(r.proxy());
            }
        }
        return out;
    }

    ActorProxyImpl selfProxy() {
        return new ActorProxyImpl(aid, name, address());
    }

    /** Spawns an actor; callable from any thread while the arbiter runs. */
    public ActorProxyFuture spawn(Spawn spec) {
        String aid = spec.aid() != null ? spec.aid() : newAid();
        ActorProxyFuture future = new ActorProxyFuture(aid);
        if (state != ActorState.RUNNING) {
            future.completeExceptionally(new IllegalStateException("the arbiter is not running: call Pulsar.arbiter().start() first"));
            return future;
        }
        loop.execute(() -> spawnOnLoop(aid, spec, future));
        return future;
    }

    public static String newAid() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private void spawnOnLoop(String aid, Spawn spec, ActorProxyFuture future) {
        if (state != ActorState.RUNNING) {
            future.completeExceptionally(new IllegalStateException("the arbiter is stopping"));
            return;
        }
        if (records.containsKey(aid)) {
            future.completeExceptionally(new IllegalArgumentException("spawn aid: an actor with aid '" + aid + "' is alive"));
            return;
        }
        ActorRecord record = new ActorRecord(aid, spec, future);
        records.put(aid, record);
        Duration timeout = spec.handshakeTimeout() != null ? spec.handshakeTimeout() : settings.handshakeTimeout();
        record.handshakeTimer = loop.callLater(timeout, () -> {
            if (!future.isDone()) {
                future.completeExceptionally(new PulsarException(FailureKind.TIMEOUT, "TIMEOUT actor " + aid
                        + " did not complete its handshake and onStart within " + timeout.toMillis() + " ms"));
                abandon(record);
            }
        });
        if (spec.concurrency() == Concurrency.THREAD) {
            ManagedActor actor = ManagedActor.startThread(aid, spec, selfProxy(), settings, mailboxConfig);
            record.local = actor;
            record.pid = ProcessHandle.current().pid();
            actor.stopped().whenComplete((v, e) -> executeIfRunning(() -> onExit(record, "thread actor stopped")));
        } else {
            ProcessActors.launch(this, record);
        }
    }

    void executeIfRunning(Runnable r) {
        EventLoopImpl l = loop;
        if (l != null && !l.netty().isShuttingDown()) {
            l.execute(r);
        } else {
            r.run();
        }
    }

    /** Gives up on an actor: it no longer counts as live and is stopped. */
    private void abandon(ActorRecord record) {
        record.abandoned = true;
        stopChild(record);
    }

    /** Asks an actor to stop; {@link #supervise()} kills it after {@code stop_grace}. */
    CompletableFuture<Void> stopChild(ActorRecord record) {
        if (record.stopRequestedNanos == 0) {
            record.stopRequestedNanos = System.nanoTime();
        }
        if (record.local != null) {
            return record.local.stop();
        }
        if (record.process != null) {
            return ProcessActors.stop(this, record);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** An actor's thread or process has ended. */
    void onExit(ActorRecord record, String how) {
        if (records.remove(record.aid, record)) {
            log.info("actor {} ({}) exited: {}", record.aid, record.name, how);
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            e.put("aid", record.aid);
            e.put("name", record.name);
            e.put("pid", record.pid);
            e.put("how", how.lines().findFirst().orElse(how));
            exited.addLast(e);
            while (exited.size() > 50) {
                exited.pollFirst();
            }
        }
        if (record.handshakeTimer != null) {
            record.handshakeTimer.cancel();
        }
        if (!record.future.isDone()) {
            record.future.completeExceptionally(new PulsarException(FailureKind.REMOTE_ERROR,
                    "actor " + record.aid + " exited before its handshake completed: " + how));
        }
    }

    private void supervise() {
        long now = System.nanoTime();
        long timeout = settings.timeout().toNanos();
        long grace = settings.stopGrace().toNanos();
        for (ActorRecord r : records.values()) {
            if (r.stopRequestedNanos != 0) {
                if (now - r.stopRequestedNanos > grace) {
                    kill(r);
                }
            } else if (r.future.isDone() && now - r.lastNotifyNanos > timeout) {
                log.warn("actor {} ({}) sent no notify for {} ms (timeout {} ms): stopping it", r.aid, r.name,
                        (now - r.lastNotifyNanos) / 1_000_000, settings.timeout().toMillis());
                r.abandoned = true;
                stopChild(r);
            }
        }
    }

    private void kill(ActorRecord r) {
        if ((r.local != null && r.local.stopped().isDone()) || (r.process != null && !r.process.process.isAlive())) {
            onExit(r, "stopped"); // already gone; its own exit notice may still be queued
        } else if (r.local != null) {
            Thread t = r.local.loop == null ? null : r.local.loop.thread();
            log.error("thread actor {} ({}) did not stop within {} ms: interrupting its thread and dropping it",
                    r.aid, r.name, settings.stopGrace().toMillis());
            if (t != null) {
                t.interrupt();
            }
            r.local.loop.stop();
            onExit(r, "killed (did not stop in time)");
        } else if (r.process != null) {
            ProcessActors.kill(this, r);
        } else {
            onExit(r, "dropped");
        }
    }

    @Override
    CommandHandler ownCommand(String name) {
        return switch (name) {
            case "notify" -> this::notifyCommand;
            case "spawn" -> this::spawnCommand;
            case "kill_actor" -> this::killCommand;
            case "whereis" -> this::whereisCommand;
            default -> null;
        };
    }

    private Object notifyCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        if (!(ctx.args().get(0) instanceof Map<?, ?> report) || !(report.get("aid") instanceof String aid)) {
            throw new IllegalArgumentException("'notify' takes a map with the actor's aid, state and address");
        }
        ActorRecord r = records.get(aid);
        if (r == null || r.abandoned) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR the arbiter does not manage an actor '" + aid + "'");
        }
        r.lastNotifyNanos = System.nanoTime();
        if (report.get("state") instanceof String s) {
            r.state = s;
        }
        if (report.get("pid") instanceof Long pid) {
            r.pid = pid;
        }
        if (report.get("name") instanceof String n) {
            r.name = n;
        }
        if (report.get("address") instanceof String a && a.lastIndexOf(':') > 0) {
            int colon = a.lastIndexOf(':');
            r.address = new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
        }
        if ("failed".equals(r.state) && !r.future.isDone()) {
            r.future.completeExceptionally(new PulsarException(FailureKind.REMOTE_ERROR,
                    "actor " + aid + " failed to start: " + report.get("error")));
            r.abandoned = true;
        } else if ("running".equals(r.state) && !r.future.isDone()) {
            r.handshakeTimer.cancel();
            r.future.complete(r.proxy());
        }
        return RespSimple.OK;
    }

    private Object spawnCommand(CommandContext ctx) {
        ctx.arity(0, 2);
        Spawn spec;
        boolean plain = false;
        if (ctx.args().isEmpty()) {
            spec = Spawn.process();
            plain = true;
        } else if (ctx.args().get(0) instanceof Spawn s) {
            spec = s;
        } else {
            String kind = ctx.string(0).toUpperCase(java.util.Locale.ROOT);
            try {
                spec = Spawn.of(Concurrency.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'spawn' takes a Spawn spec, or 'thread' or 'process' and a name");
            }
            if (ctx.args().size() == 2) {
                spec = spec.name(ctx.string(1));
            }
            plain = true;
        }
        boolean asMap = plain;
        return spawn(spec).thenApply(p -> asMap ? Map.of("aid", p.aid(), "name", p.name(),
                "address", p.address().getHostString() + ":" + p.address().getPort()) : (Object) p);
    }

    private Object killCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        ActorRecord r = records.get(ctx.string(0));
        if (r == null) {
            return false;
        }
        r.abandoned = true;
        stopChild(r);
        return true;
    }

    private Object whereisCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        String aid = ctx.string(0);
        if (aid.equals("arbiter")) {
            return address().getHostString() + ":" + address().getPort();
        }
        ActorRecord r = records.get(aid);
        if (r == null || r.address == null) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR no actor '" + aid + "'");
        }
        return r.address.getHostString() + ":" + r.address.getPort();
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = super.info();
        List<Object> actors = new ArrayList<>();
        for (ActorRecord r : records.values()) {
            actors.add(r.info());
        }
        info.put("actors", actors);
        info.put("exited", new ArrayList<Object>(exited));
        info.put("settings", settings.toMap());
        return info;
    }

    @Override
    public CompletableFuture<Void> stop() {
        EventLoopImpl l;
        synchronized (this) {
            if (state == ActorState.INITIAL || state == ActorState.STOPPED) {
                return stopped;
            }
            l = loop;
        }
        l.execute(this::stopOnLoop);
        return stopped;
    }

    private void stopOnLoop() {
        if (state == ActorState.STOPPING || state == ActorState.STOPPED) {
            return;
        }
        state = ActorState.STOPPING;
        log.info("arbiter stopping {} actors", records.size());
        List<CompletableFuture<Void>> children = new ArrayList<>();
        for (ActorRecord r : new ArrayList<>(records.values())) {
            if (!r.future.isDone()) {
                r.future.completeExceptionally(new IllegalStateException("the arbiter stopped before actor " + r.aid + " started"));
            }
            r.abandoned = true;
            try {
                children.add(stopChild(r).thenRun(() -> { }));
            } catch (RuntimeException e) {
                log.warn("cannot ask actor {} to stop: {}", r.aid, e.toString());
            }
        }
        long grace = settings.stopGrace().toMillis();
        CompletableFuture.allOf(children.toArray(CompletableFuture[]::new))
                .orTimeout(grace + 1000, TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> loop.execute(() -> {
                    for (ActorRecord r : new ArrayList<>(records.values())) {
                        kill(r);
                        onExit(r, "stopped with the arbiter"); // no record outlives a stop
                    }
                    if (supervision != null) {
                        supervision.cancel();
                    }
                    CompletableFuture<Void> spares = ProcessActors.closeSpares();
                    runStopHookAndCloseMailbox().thenCombine(spares.completeOnTimeout(null, grace, TimeUnit.MILLISECONDS), (x, y) -> null).whenComplete((x, y) -> {
                        EventLoopImpl l = loop;
                        ClientPool.closeAll();
                        synchronized (this) {
                            state = ActorState.STOPPED;
                            mailboxConfig = null;
                        }
                        l.stop().whenComplete((a, b) -> {
                            log.info("arbiter stopped");
                            stopped.complete(null);
                        });
                    });
                }));
    }
}
