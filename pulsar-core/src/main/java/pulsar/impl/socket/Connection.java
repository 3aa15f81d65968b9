package pulsar.impl.socket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
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
    private boolean lingering;  // output shut by a graceful close: what still arrives is dropped
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
            }, FIRST_REQUEST_GRACE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Closes a drained connection without a reset (a lingering close, as web servers do): a plain
     * close while the client's next request sits unread in the socket makes the kernel answer
     * with RST, which can also destroy replies the client has not read yet. So once the
     * protocol's handlers have said goodbye (their own close runs first: a WebSocket's 1001),
     * the server sends FIN (after TLS's close_notify), drops whatever still arrives, and closes
     * once the client closes too, or after {@link #LINGER_MS}. Other closes go straight through.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!draining || lingering || !channel.isActive() || !(channel instanceof DuplexChannel duplex)) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        channel.closeFuture().addListener(f -> promise.trySuccess());
        channel.config().setAutoRead(true); // a protocol may have paused reading; the client's FIN must be seen
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        Runnable shut = () -> duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
            }
        });
        ctx.flush();
        if (tls == null) {
            shut.run();
        } else {
            tls.closeOutbound().addListener(f -> shut.run());
        }
        channel.eventLoop().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    }

    /** How long a drained connection waits for the client to close after the server's FIN. */
    static final long LINGER_MS = 2000;

    /** How long a connection that has read nothing is given for its first request once the server stops. */
    static final long FIRST_REQUEST_GRACE_MS = 1000;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            ReferenceCountUtil.release(msg); // said goodbye: nothing more is served
            return;
        }
        reads++;
        if (countReads) {
            countRequest();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!countReads) {
            ctx.write(msg, promise); // the protocol says when it has replied
            return;
        }
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
