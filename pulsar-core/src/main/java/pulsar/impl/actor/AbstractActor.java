package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Actor;
import pulsar.ActorState;
import pulsar.Concurrency;
import pulsar.EventLoop;
import pulsar.Settings;
import pulsar.impl.command.CommandContext;
import pulsar.impl.command.CommandHandler;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.mailbox.LocalMailbox;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.mailbox.MailboxServer;

/**
 * What every actor has: an aid, a loop, a mailbox, settings, hooks that run once, {@code info},
 * {@code config} and the command table. Subclasses decide how the actor starts and who
 * manages it.
 */
public abstract class AbstractActor implements Actor, LocalMailbox {
    private static final Logger log = LoggerFactory.getLogger(AbstractActor.class);

    protected final String aid;
    protected final String name;
    protected final Concurrency concurrency;
    protected final Map<String, Object> params;
    protected final ActorServices services;
    protected volatile Settings settings;
    protected volatile MailboxConfig mailboxConfig;
    /** The I/O loop: mailbox, commands, hooks, notifies. */
    protected volatile EventLoopImpl loop;
    /** A CPU-bound actor's request loop, which may block; {@code null} for I/O-bound actors. */
    protected volatile EventLoopImpl requestLoop;
    /** A co-located actor's view of the shared loop it runs on ({@code loop}); else {@code null}. */
    protected volatile pulsar.impl.loop.ActorLoop actorLoop;
    /** A co-located actor's address: the mailbox that forwards to it (the arbiter's); else {@code null}. */
    protected volatile InetSocketAddress hostAddress;
    protected volatile MailboxServer mailbox;
    protected volatile ActorState state = ActorState.INITIAL;
    protected volatile long startedNanos;
    /** The spawn order given by the arbiter (1 for its first actor), or 0 when unknown. */
    protected volatile long age;
    Hooks hooks = Hooks.none();
    private boolean stopHookDone;

    protected AbstractActor(String aid, String name, Concurrency concurrency, Map<String, Object> params, ActorServices services) {
        this.aid = aid;
        this.name = name;
        this.concurrency = concurrency;
        this.params = params;
        this.services = services;
    }

    @Override public String aid() { return aid; }
    @Override public String name() { return name; }
    @Override public Concurrency concurrency() { return concurrency; }
    @Override public ActorState state() { return state; }
    @Override public boolean isArbiter() { return false; }
    @Override public EventLoop loop() {
        EventLoop view = actorLoop;
        return view != null ? view : requestLoop != null ? requestLoop : loop;
    }
    @Override public EventLoop ioLoop() {
        EventLoop view = actorLoop;
        return view != null ? view : loop;
    }
    @Override public boolean hosted() { return actorLoop != null; }
    @Override public boolean isCpuBound() { return requestLoop != null; }
    @Override public Map<String, Object> params() { return params; }
    @Override public Settings settings() { return settings; }
    @Override public MailboxConfig mailboxConfig() { return mailboxConfig; }

    @Override
    public InetSocketAddress address() {
        MailboxServer m = mailbox;
        return m == null ? hostAddress : m.address();
    }

    /** The actor's own commands, before the global ones; {@code config} by default. */
    protected CommandHandler ownCommand(String name) {
        return name.equals("config") ? ctx -> ConfigCommand.execute(this, ctx) : null;
    }

    /**
     * Whether {@code config set} may change a setting of this {@code scope} while the actor
     * runs: only {@link Settings.Scope#LIVE} ones on an actor.
     */
    protected boolean changeableAtRunTime(Settings.Scope scope) {
        return scope == Settings.Scope.LIVE;
    }

    /** Applies settings changed by {@code config set}; call on the loop. */
    protected void reconfigure(Settings changed) {
        settings = changed;
    }

    @Override
    public Object execute(String name, List<Object> args, int protocol) throws Exception {
        CommandHandler h = ownCommand(name);
        if (h == null) {
            h = services.commands().lookup(name);
        }
        if (h == null) {
            throw Failures.unknownCommand(name);
        }
        return h.execute(new CommandContext(this, name, args, protocol));
    }

    /** Opens the mailbox on {@code settings.bind()}:{@code port}; call on the loop. */
    protected CompletableFuture<MailboxServer> openMailbox(int port) {
        InetSocketAddress bind = new InetSocketAddress(settings.bind(), port);
        return MailboxServer.open(loop, bind, mailboxConfig, this).thenApply(m -> {
            mailbox = m;
            services.dispatcher().register(this);
            return m;
        });
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("aid", aid);
        info.put("name", name);
        info.put("kind", concurrency.wireName());
        info.put("state", state.wireName());
        info.put("is_arbiter", isArbiter());
        InetSocketAddress a = address();
        info.put("address", a == null ? "" : a.getHostString() + ":" + a.getPort());
        info.put("pid", ProcessHandle.current().pid());
        Thread t = loop == null ? null : loop.thread();
        info.put("thread", t == null ? "" : t.getName());
        if (actorLoop != null) {
            info.put("colocated", true);
        }
        EventLoopImpl requests = requestLoop;
        if (requests != null) {
            info.put("cpu_bound", true);
            Thread r = requests.thread();
            info.put("request_thread", r == null ? "" : r.getName());
        }
        info.put("transport", EventLoopImpl.epoll() ? "epoll" : "nio");
        info.put("uptime", startedNanos == 0 ? 0.0 : (System.nanoTime() - startedNanos) / 1e9);
        if (age > 0) {
            info.put("age", age);
        }
        if (!params.isEmpty()) {
            Map<String, Object> p = new LinkedHashMap<>();
            params.forEach((k, v) -> p.put(k, v == null ? null : v.toString()));
            info.put("params", p);
        }
        try {
            hooks.onInfo(this, info);
        } catch (Exception e) {
            log.warn("onInfo of actor {} failed", aid, e);
            info.put("info_error", e.toString());
        }
        return info;
    }

    /** Runs {@code onStop} once (at most {@code stop_grace}), then closes the mailbox. Call on the loop. */
    protected CompletableFuture<Void> runStopHookAndCloseMailbox() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionStage<?> hook;
        if (stopHookDone) {
            hook = CompletableFuture.completedFuture(null);
        } else {
            stopHookDone = true;
            hook = hooks.onStop(this);
        }
        hook.toCompletableFuture()
                .orTimeout(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        log.warn("onStop of actor {} failed", aid, Failures.unwrap(e));
                    }
                    services.dispatcher().unregister(this);
                    MailboxServer m = mailbox;
                    if (m == null) {
                        done.complete(null);
                    } else {
                        m.close().whenComplete((x, y) -> done.complete(null));
                    }
                });
        return done;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + aid + " " + name + " " + state.wireName() + "]";
    }
}
