package pulsar.impl.mailbox;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.loop.SharedLoops;
import pulsar.impl.resp.RespError;
import pulsar.impl.serial.RejectedClassException;

/**
 * Routes {@code send}: to an actor of this JVM directly on its loop (values copied as a socket
 * would), else over a pooled mailbox connection. An aid that is not local is resolved through
 * the arbiter ({@code whereis}) and cached. One per JVM, owned by its runtime.
 */
public final class Dispatcher {
    private final Map<String, LocalMailbox> byAid = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, LocalMailbox> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Route> resolved = new ConcurrentHashMap<>();
    private final ClientPool clients = new ClientPool();
    private final Supplier<MailboxConfig> defaultConfig;
    /** Where the arbiter is, for JVMs that do not run it (process actors). */
    private volatile InetSocketAddress remoteArbiter;
    /** The configuration of this JVM's outgoing connections, when not the arbiter's. */
    private volatile MailboxConfig clientConfig;

    /**
     * A dispatcher whose outgoing connections use {@code defaultConfig} (the arbiter's secret and
     * limits) until {@link #useRemoteArbiter} says otherwise.
     */
    public Dispatcher(Supplier<MailboxConfig> defaultConfig) {
        this.defaultConfig = defaultConfig;
    }

    /** Points this JVM (a child) at its arbiter, and sets the secret and limits of its connections. */
    public void useRemoteArbiter(InetSocketAddress arbiter, MailboxConfig config) {
        remoteArbiter = arbiter;
        clientConfig = config;
    }

    /** Makes {@code actor} reachable without the socket, by aid and by its mailbox address. */
    public void register(LocalMailbox actor) {
        byAid.put(actor.aid(), actor);
        InetSocketAddress a = actor.address();
        if (a != null && !actor.hosted()) {
            byAddress.put(a, actor);
        }
    }

    /** The actor of this JVM with this aid, or {@code null}. */
    public LocalMailbox local(String aid) {
        return byAid.get(aid);
    }

    /**
     * A forwarded command ({@code actor AID COMMAND ARGS...} on the host's mailbox): sent to the
     * actor of this JVM with that aid, as any in-JVM send.
     *
     * @throws PulsarException {@code NOACTOR} when no actor of this JVM has that aid
     */
    public CompletableFuture<Object> forward(String aid, String command, Object[] args, int protocol) {
        LocalMailbox a = byAid.get(aid);
        if (a == null || !a.hosted()) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR no co-located actor '" + aid + "' here");
        }
        return sendLocal(a, command.toLowerCase(java.util.Locale.ROOT), args, protocol);
    }

    /** Forgets {@code actor} (it is stopping) and any address cached for its aid. */
    public void unregister(LocalMailbox actor) {
        byAid.remove(actor.aid(), actor);
        InetSocketAddress a = actor.address();
        if (a != null && !actor.hosted()) {
            byAddress.remove(a, actor);
        }
        resolved.remove(actor.aid());
    }

    /** Forgets the address cached for {@code aid}: the actor has gone. */
    public void forget(String aid) {
        resolved.remove(aid);
    }

    /** Closes every pooled outgoing connection. */
    public void closeConnections() {
        clients.closeAll();
    }

    /** See {@code Pulsar.send}. */
    public CompletableFuture<Object> send(Object target, String command, Object... args) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("send: the command name must not be empty");
        }
        String name = lowerCase(command);
        Object[] values = args == null ? new Object[] {null} : args;
        try {
            if (target instanceof ActorProxy p) {
                LocalMailbox a = byAid.get(p.aid());
                if (a != null) {
                    return sendLocal(a, name, values, 3);
                }
                return p instanceof Forwarded ? sendRemote(p.address(), "actor", prepend(p.aid(), name, values))
                        : sendRemote(p.address(), name, values);
            }
            if (target instanceof InetSocketAddress address) {
                LocalMailbox a = byAddress.get(address);
                return a != null ? sendLocal(a, name, values, 3) : sendRemote(address, name, values);
            }
            if (target instanceof String s) {
                LocalMailbox a = byAid.get(s);
                if (a != null) {
                    return sendLocal(a, name, values, 3);
                }
                if (s.equals("arbiter")) {
                    InetSocketAddress arbiter = remoteArbiter;
                    if (arbiter == null) {
                        return failed(new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR the arbiter is not running in this JVM"));
                    }
                    return sendRemote(arbiter, name, values);
                }
                int colon = s.lastIndexOf(':');
                if (colon > 0) {
                    return send(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))), command, values);
                }
                return resolve(s).thenCompose(route -> route == null
                        ? send("arbiter", "app", prepend(s, name, values)) // an application: its monitor has no mailbox
                        : route.forward() ? sendRemote(route.address(), "actor", prepend(s, name, values)) // co-located: through its host
                        : sendRemote(route.address(), name, values));
            }
        } catch (IllegalArgumentException e) {
            return failed(e);
        }
        throw new IllegalArgumentException("send target must be an aid, \"arbiter\", an ActorProxy, an InetSocketAddress or \"host:port\", not "
                + (target == null ? "null" : target.getClass().getName()));
    }

    private static Object[] prepend(String app, String command, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = app;
        all[1] = command;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    /**
     * The last command name found lower case already: a sender repeating one command (a literal,
     * the same instance each time) skips the scan. Racy on purpose: a String is safely published.
     */
    private static String lastLowerCase;

    /** A command name as the registry knows it: lower case (no copy when it is already). */
    private static String lowerCase(String command) {
        if (command == lastLowerCase) {
            return command;
        }
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 127) {
                return command.toLowerCase(java.util.Locale.ROOT);
            }
        }
        lastLowerCase = command;
        return command;
    }

    /**
     * Where {@code aid} is reached: its own mailbox, or ({@code forward}) the mailbox of its host,
     * which forwards {@code actor AID ...} to it.
     */
    private record Route(InetSocketAddress address, boolean forward) {
    }

    /** The route to {@code aid}, or {@code null} when it names an application (reached through the arbiter). */
    private CompletableFuture<Route> resolve(String aid) {
        Route cached = resolved.get(aid);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return send("arbiter", "whereis", aid).thenApply(reply -> {
            String hostPort = (String) reply;
            if (hostPort.startsWith("app:")) {
                return null;
            }
            boolean forward = hostPort.startsWith("actor:");
            if (forward) {
                hostPort = hostPort.substring("actor:".length());
            }
            int colon = hostPort.lastIndexOf(':');
            InetSocketAddress a = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            Route route = new Route(a, forward);
            resolved.put(aid, route);
            return route;
        });
    }

    private static <T> CompletableFuture<T> failed(Throwable t) {
        CompletableFuture<T> f = LoopThreads.newFuture();
        f.completeExceptionally(t);
        return f;
    }

    /**
     * Sends over a pooled socket connection even when the target lives in this JVM: what
     * benchmarks and tests use to measure or check the socket path itself.
     */
    public CompletableFuture<Object> sendBySocket(InetSocketAddress address, String command, Object... args) {
        return sendRemote(address, command.toLowerCase(java.util.Locale.ROOT), args);
    }

    private CompletableFuture<Object> sendRemote(InetSocketAddress address, String command, Object[] args) {
        MailboxConfig c = clientConfig;
        CompletableFuture<Object> reply = clients.send(address, c != null ? c : defaultConfig.get(), command, args);
        EventLoopImpl caller = LoopThreads.currentLoop();
        pulsar.Actor sender = caller != null && SharedLoops.isShared(caller) ? LoopThreads.currentActor() : null;
        if (sender == null) {
            return reply;
        }
        // A co-located sender: its reply's callbacks run as that actor, on its shared loop.
        CompletableFuture<Object> bound = LoopThreads.newFuture();
        reply.whenComplete((v, e) -> {
            Runnable complete = () -> {
                if (e != null) {
                    bound.completeExceptionally(e);
                } else {
                    bound.complete(v);
                }
            };
            if (caller.inLoop()) {
                LoopThreads.runAs(caller, sender, complete);
            } else if (caller.isRunning()) {
                caller.executeAs(sender, complete);
            } else {
                complete.run();
            }
        });
        return bound;
    }

    /**
     * The in-JVM path: arguments are copied as the socket would copy them (immutable scalars are
     * not copied), the command runs on the target's loop, and the reply is copied back and
     * completed on the caller's loop. The command is always queued on the target's loop, never
     * run inside the caller's call: on the caller's own loop (co-located actors) that costs no
     * thread wake-up, and a chain of sends cannot grow the stack. A reply to a caller on the
     * target's loop completes right there.
     */
    private static CompletableFuture<Object> sendLocal(LocalMailbox target, String command, Object[] args, int protocol) {
        CompletableFuture<Object> reply = LoopThreads.newFuture();
        EventLoopImpl caller = LoopThreads.currentLoop();
        List<Object> copied;
        try {
            copied = Values.copyAll(args, target.mailboxConfig().codec());
        } catch (RuntimeException e) {
            // As on the socket: an argument that cannot be encoded fails here, one the target
            // may not decode fails as the target's DENIED reply would.
            reply.completeExceptionally(e instanceof RejectedClassException
                    ? Failures.fromRespError(Failures.toRespError(e)) : e);
            return reply;
        }
        pulsar.EventLoop targetLoop = target.ioLoop();
        pulsar.Actor sender = caller == null ? null : LoopThreads.currentActor();
        Runnable call = () -> {
            Object result;
            try {
                result = target.execute(command, copied, protocol);
            } catch (Throwable t) {
                result = Failures.toRespError(t);
            }
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((v, e) -> finish(reply, caller, sender, target, e == null ? v : Failures.toRespError(e)));
            } else {
                finish(reply, caller, sender, target, result);
            }
        };
        targetLoop.execute(call);
        return reply;
    }

    /**
     * Completes {@code reply} on {@code caller}'s loop (at once when already on it), with
     * {@code sender}, the calling actor, bound again: on a shared loop the reply's callbacks run
     * as the co-located actor that sent.
     */
    private static void finish(CompletableFuture<Object> reply, EventLoopImpl caller, pulsar.Actor sender, LocalMailbox target,
                               Object result) {
        Object value;
        Throwable failure = null;
        if (result instanceof RespError error) {
            failure = Failures.fromRespError(error);
            value = null;
        } else {
            try {
                value = Values.copy(result, target.mailboxConfig().codec());
            } catch (RuntimeException e) {
                failure = Failures.fromRespError(Failures.toRespError(new IllegalArgumentException("cannot encode the reply: " + e.getMessage())));
                value = null;
            }
        }
        Throwable f = failure;
        Object v = value;
        Runnable complete = () -> {
            if (f != null) {
                reply.completeExceptionally(f);
            } else {
                reply.complete(v);
            }
        };
        boolean bind = sender != null && caller != null && SharedLoops.isShared(caller);
        if (caller != null && !caller.inLoop() && caller.isRunning()) {
            if (bind) {
                caller.executeAs(sender, complete);
            } else {
                caller.execute(complete);
            }
        } else if (bind && caller.inLoop()) {
            LoopThreads.runAs(caller, sender, complete);
        } else {
            complete.run();
        }
    }
}
