package pulsar.impl.mailbox;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.LoopThreads;

/**
 * Connections to mailboxes, one per (caller loop, address): an actor's sends travel on its own
 * loop, so replies complete on it without a thread hop; other threads share one client loop.
 */
final class ClientPool {
    private final Map<Key, CompletableFuture<MailboxClient>> clients = new ConcurrentHashMap<>();
    private volatile EventLoopImpl shared;
    /** The connection used last, checked before the map: a loop that keeps sending to one mailbox finds it at once. */
    private volatile Last last;

    private record Key(EventLoopImpl loop, InetSocketAddress address) {
    }

    private record Last(EventLoopImpl loop, InetSocketAddress address, MailboxClient client) {
    }

    private EventLoopImpl sharedLoop() {
        EventLoopImpl l = shared;
        if (l == null || !l.isRunning()) {
            synchronized (this) {
                l = shared;
                if (l == null || !l.isRunning()) {
                    shared = l = EventLoopImpl.onNewThread("pulsar-client");
                }
            }
        }
        return l;
    }

    /**
     * Sends a command to the mailbox at {@code address} over a pooled connection.
     *
     * @return completes with the decoded reply, or fails with a {@code PulsarException}
     */
    CompletableFuture<Object> send(InetSocketAddress address, MailboxConfig config, String command, Object[] args) {
        EventLoopImpl current = LoopThreads.currentLoop();
        Last l = last;
        if (l != null && current != null && l.loop == current && l.address.equals(address) && l.client.isOpen()
                && current.isRunning()) {
            return l.client.send(command, args);
        }
        EventLoopImpl loop = current != null && current.isRunning() ? current : sharedLoop();
        Key key = new Key(loop, address);
        CompletableFuture<MailboxClient> client = clients.get(key);
        if (client != null && client.isDone() && !client.isCompletedExceptionally() && client.join().isOpen()) {
            MailboxClient c = client.join();
            if (current != null) {
                last = new Last(loop, address, c);
            }
            return c.send(command, args);
        }
        client = clients.compute(key, (k, old) -> {
            if (old != null && (!old.isDone() || (!old.isCompletedExceptionally() && old.join().isOpen()))) {
                return old;
            }
            CompletableFuture<MailboxClient> fresh = MailboxClient.connect(loop, address, config);
            fresh.whenComplete((c, e) -> {
                if (e != null) {
                    clients.remove(k, fresh);
                } else {
                    c.closed().thenRun(() -> clients.remove(k, fresh));
                }
            });
            loop.terminated().thenRun(() -> clients.remove(k, fresh));
            return fresh;
        });
        CompletableFuture<Object> reply = LoopThreads.newFuture();
        client.whenComplete((c, e) -> {
            if (e != null) {
                reply.completeExceptionally(Failures.unwrap(e));
            } else {
                c.send(command, args).whenComplete((v, x) -> {
                    if (x != null) {
                        reply.completeExceptionally(Failures.unwrap(x));
                    } else {
                        reply.complete(v);
                    }
                });
            }
        });
        return reply;
    }

    /** Closes every pooled connection (the arbiter stops, so the secret may change). */
    void closeAll() {
        last = null;
        clients.values().forEach(f -> f.thenAccept(MailboxClient::close));
        clients.clear();
    }
}
