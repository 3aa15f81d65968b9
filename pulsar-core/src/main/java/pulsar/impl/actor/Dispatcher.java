package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.Actor;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.mailbox.ClientPool;
import pulsar.impl.mailbox.Failures;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.mailbox.Values;
import pulsar.impl.resp.RespError;

/**
 * Routes {@code send}: to an actor of this JVM directly on its loop (values copied as a socket
 * would), else over a pooled mailbox connection. An aid that is not local is resolved through
 * the arbiter ({@code whereis}) and cached.
 */
public final class Dispatcher {
    private static final Map<String, AbstractActor> BY_AID = new ConcurrentHashMap<>();
    private static final Map<InetSocketAddress, AbstractActor> BY_ADDRESS = new ConcurrentHashMap<>();
    private static final Map<String, InetSocketAddress> RESOLVED = new ConcurrentHashMap<>();
    /** Where the arbiter is, for JVMs that do not run it (process actors). */
    static volatile ActorProxy remoteArbiter;
    /** The mailbox configuration of this JVM's outgoing connections. */
    static volatile MailboxConfig clientConfig;

    private Dispatcher() {
    }

    /** Points this JVM (a child) at its arbiter, and sets the secret and limits of its connections. */
    static void configureChild(ActorProxy arbiter, MailboxConfig config) {
        remoteArbiter = arbiter;
        clientConfig = config;
    }

    static void registerLocal(AbstractActor actor) {
        BY_AID.put(actor.aid, actor);
        InetSocketAddress a = actor.address();
        if (a != null) {
            BY_ADDRESS.put(a, actor);
        }
    }

    static void unregisterLocal(AbstractActor actor) {
        BY_AID.remove(actor.aid, actor);
        InetSocketAddress a = actor.address();
        if (a != null) {
            BY_ADDRESS.remove(a, actor);
        }
        RESOLVED.remove(actor.aid);
    }

    /** The live actor of this JVM with that aid, or {@code null}. */
    public static Actor local(String aid) {
        return BY_AID.get(aid);
    }

    /** See {@code Pulsar.send}. */
    public static CompletableFuture<Object> send(Object target, String command, Object... args) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("send: the command name must not be empty");
        }
        String name = command.toLowerCase(java.util.Locale.ROOT);
        Object[] values = args == null ? new Object[] {null} : args;
        try {
            if (target instanceof ActorProxy p) {
                AbstractActor a = BY_AID.get(p.aid());
                return a != null ? sendLocal(a, name, values) : sendRemote(p.address(), name, values);
            }
            if (target instanceof InetSocketAddress address) {
                AbstractActor a = BY_ADDRESS.get(address);
                return a != null ? sendLocal(a, name, values) : sendRemote(address, name, values);
            }
            if (target instanceof String s) {
                AbstractActor a = BY_AID.get(s);
                if (a != null) {
                    return sendLocal(a, name, values);
                }
                if (s.equals("arbiter")) {
                    ActorProxy arbiter = remoteArbiter;
                    if (arbiter == null) {
                        return failed(new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR the arbiter is not running in this JVM"));
                    }
                    return sendRemote(arbiter.address(), name, values);
                }
                int colon = s.lastIndexOf(':');
                if (colon > 0) {
                    return send(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))), command, values);
                }
                return resolve(s).thenCompose(address -> sendRemote(address, name, values));
            }
        } catch (IllegalArgumentException e) {
            return failed(e);
        }
        throw new IllegalArgumentException("send target must be an aid, \"arbiter\", an ActorProxy, an InetSocketAddress or \"host:port\", not "
                + (target == null ? "null" : target.getClass().getName()));
    }

    private static CompletableFuture<InetSocketAddress> resolve(String aid) {
        InetSocketAddress cached = RESOLVED.get(aid);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return send("arbiter", "whereis", aid).thenApply(reply -> {
            String hostPort = (String) reply;
            int colon = hostPort.lastIndexOf(':');
            InetSocketAddress a = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
            RESOLVED.put(aid, a);
            return a;
        });
    }

    private static <T> CompletableFuture<T> failed(Throwable t) {
        CompletableFuture<T> f = LoopThreads.newFuture();
        f.completeExceptionally(t);
        return f;
    }

    private static MailboxConfig config() {
        MailboxConfig c = clientConfig;
        if (c == null) {
            c = ArbiterImpl.instance().clientConfig();
        }
        return c;
    }

    private static CompletableFuture<Object> sendRemote(InetSocketAddress address, String command, Object[] args) {
        return ClientPool.send(address, config(), command, args);
    }

    /**
     * The in-JVM path: arguments are copied as the socket would copy them, the command runs on
     * the target's loop, and the reply is copied back and completed on the caller's loop.
     */
    private static CompletableFuture<Object> sendLocal(AbstractActor target, String command, Object[] args) {
        CompletableFuture<Object> reply = LoopThreads.newFuture();
        Actor caller = LoopThreads.currentActor();
        List<Object> copied;
        try {
            copied = Values.copyAll(args, target.mailboxConfig.codec());
        } catch (RuntimeException e) {
            // As on the socket: an argument that cannot be encoded fails here, one the target
            // may not decode fails as the target's DENIED reply would.
            reply.completeExceptionally(e instanceof pulsar.impl.serial.RejectedClassException
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
        if (target.loop.inLoop()) {
            call.run();
        } else {
            target.loop.execute(call);
        }
        return reply;
    }

    private static void finish(CompletableFuture<Object> reply, Actor caller, AbstractActor target, Object result) {
        Object value;
        Throwable failure = null;
        if (result instanceof RespError error) {
            failure = Failures.fromRespError(error);
            value = null;
        } else {
            try {
                value = Values.copy(result, target.mailboxConfig.codec());
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
        if (caller != null && caller != target && caller.loop() != null && caller.loop().isRunning()) {
            caller.loop().execute(complete);
        } else {
            complete.run();
        }
    }
}
