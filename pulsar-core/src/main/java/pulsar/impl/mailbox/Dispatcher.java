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
    private final Map<String, InetSocketAddress> resolved = new ConcurrentHashMap<>();
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
        if (a != null) {
            byAddress.put(a, actor);
        }
    }

    /** Forgets {@code actor} (it is stopping) and any address cached for its aid. */
    public void unregister(LocalMailbox actor) {
        byAid.remove(actor.aid(), actor);
        InetSocketAddress a = actor.address();
        if (a != null) {
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
        String name = command.toLowerCase(java.util.Locale.ROOT);
        Object[] values = args == null ? new Object[] {null} : args;
        try {
            if (target instanceof ActorProxy p) {
                LocalMailbox a = byAid.get(p.aid());
                return a != null ? sendLocal(a, name, values) : sendRemote(p.address(), name, values);
            }
            if (target instanceof InetSocketAddress address) {
                LocalMailbox a = byAddress.get(address);
                return a != null ? sendLocal(a, name, values) : sendRemote(address, name, values);
            }
            if (target instanceof String s) {
                LocalMailbox a = byAid.get(s);
                if (a != null) {
                    return sendLocal(a, name, values);
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
                return resolve(s).thenCompose(address -> address != null ? sendRemote(address, name, values)
                        : send("arbiter", "app", prepend(s, name, values))); // an application: its monitor has no mailbox
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

    /** The mailbox of {@code aid}, or {@code null} when it names an application (reached through the arbiter). */
    private CompletableFuture<InetSocketAddress> resolve(String aid) {
        InetSocketAddress cached = resolved.get(aid);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return send("arbiter", "whereis", aid).thenApply(reply -> {
            String hostPort = (String) reply;
            if (hostPort.startsWith("app:")) {
                return null;
            }
            int colon = hostPort.lastIndexOf(':');
            InetSocketAddress a = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            resolved.put(aid, a);
            return a;
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
        return clients.send(address, c != null ? c : defaultConfig.get(), command, args);
    }

    /**
     * The in-JVM path: arguments are copied as the socket would copy them, the command runs on
     * the target's loop, and the reply is copied back and completed on the caller's loop.
     */
    private static CompletableFuture<Object> sendLocal(LocalMailbox target, String command, Object[] args) {
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
        Runnable call = () -> {
            Object result;
            try {
                result = target.execute(command, copied, 3);
            } catch (Throwable t) {
                result = Failures.toRespError(t);
            }
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((v, e) -> finish(reply, caller, target, e == null ? v : Failures.toRespError(e)));
            } else {
                finish(reply, caller, target, result);
            }
        };
        if (target.ioLoop().inLoop()) {
            call.run();
        } else {
            target.ioLoop().execute(call);
        }
        return reply;
    }

    private static void finish(CompletableFuture<Object> reply, EventLoopImpl caller, LocalMailbox target, Object result) {
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
        if (caller != null && caller != target.ioLoop() && caller.isRunning()) {
            caller.execute(complete);
        } else {
            complete.run();
        }
    }
}
