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
 * last write that completed. Runs on the server's loop.
 */
final class Connection extends ChannelDuplexHandler implements SocketConnection {
    private final SocketServer server;
    private final Channel channel;
    private final boolean countReads;
    private long reads;         // channelRead calls so far
    private long answeredReads; // reads seen when the last completed write was started
    private boolean draining;

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
    }

    @Override
    public boolean isStopping() {
        return server.isStopping();
    }

    /** Whether everything read so far has been answered by a completed write. */
    boolean idle() {
        return reads == answeredReads;
    }

    /** Graceful stop, on the loop: closes now if idle, else after the write that answers the last read. */
    void drain() {
        draining = true;
        if (idle()) {
            channel.close();
        }
    }

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
            if (f.isSuccess() && seen > answeredReads) {
                answeredReads = seen;
                if (draining && idle()) {
                    channel.close();
                }
            }
        });
        ctx.write(msg, p);
    }
}
