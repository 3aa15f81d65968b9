package pulsar.impl.socket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import pulsar.app.SocketConnection;

/**
 * One accepted connection, in its pipeline just before the protocol's handlers (after TLS): counts
 * requests when the protocol does not, and knows whether the connection owes a reply, which is
 * what a graceful stop waits for. "Owes a reply" means: something was read after the start of the
 * last write that completed; for a protocol that counts its requests, a request counted and not
 * yet {@linkplain #replied() replied}. Runs on the server's loop.
 */
final class Connection extends ChannelDuplexHandler implements SocketConnection {
    private final SocketServer server;
    private final Channel channel;
    private final boolean countReads;
    private long reads;         // channelRead calls so far
    private long answeredReads; // reads seen when the last completed write was started
    private boolean draining;
    private long requests;      // countRequest calls, for a protocol that counts its requests
    private long replied;       // requests seen at the last replied()

    Connection(SocketServer server, Channel channel, boolean countReads) {
        this.server = server;
        this.channel = channel;
        this.countReads = countReads;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public void countRequest() {
        server.stats().requests.incrementAndGet();
        if (!countReads) {
            onLoop(() -> requests++);
        }
    }

    @Override
    public void replied() {
        if (countReads) {
            return;
        }
        onLoop(() -> {
            replied = requests;
            if (draining && idle()) {
                channel.close();
            }
        });
    }

    @Override
    public boolean isStopping() {
        return server.isStopping();
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    /** Whether everything read so far has been answered by a completed write. */
    boolean idle() {
        return countReads ? reads == answeredReads : requests == replied;
    }

    /**
     * Graceful stop, on the loop: closes now if it has answered everything it read, else after
     * the write that answers the last read. A connection that has read nothing yet (accepted an
     * instant before or while the server stops) is served its first request first: closing it
     * now would reset a client that is about to write.
     */
    void drain() {
        draining = true;
        if (idle() && reads > 0) {
            channel.close();
        } else if (reads == 0) {
            channel.eventLoop().schedule(() -> {
                if (reads == 0) {
                    channel.close(); // it never asked for anything
                }
            }, FIRST_REQUEST_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** How long a connection that has read nothing is given for its first request once the server stops. */
    static final long FIRST_REQUEST_GRACE_MS = 1000;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reads++;
        if (countReads) {
            countRequest();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long seen = reads;
        ChannelPromise p = promise.unvoid();
        p.addListener(f -> {
            if (countReads && f.isSuccess() && seen > answeredReads) {
                answeredReads = seen;
                if (draining && idle()) {
                    channel.close();
                }
            }
        });
        ctx.write(msg, p);
    }
}
