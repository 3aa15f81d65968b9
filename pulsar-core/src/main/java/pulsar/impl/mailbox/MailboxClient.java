package pulsar.impl.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.resp.ObjectEncoder;
import pulsar.impl.resp.RespDecoder;
import pulsar.impl.resp.RespError;
import pulsar.impl.resp.RespPush;
import pulsar.impl.resp.RespWriter;

/**
 * Our own mailbox client: one connection, authenticated with {@code HELLO 3 AUTH}, sending
 * every request as {@code TAG id command args} so that replies come back as soon as each
 * command completes, matched by id: a slow command never holds up the replies behind it.
 * All state is confined to the connection's loop.
 *
 * <p>Replies come from the decoder as an id and a value ({@link #taggedReply}), not as a push
 * of a list with a boxed id; a reply the decoder emits as a {@link RespPush} (its header split
 * between reads) is handled alike.
 *
 * <p>Requests are encoded one after another into one buffer, flushed when the read batch that
 * sent them ends (a reply's callback that sends the next request) or by one task queued on the
 * loop (requests sent from elsewhere): a burst of requests is one buffer and one write.
 */
final class MailboxClient extends ChannelInboundHandlerAdapter implements RespDecoder.TaggedReplies {
    private static final Logger log = LoggerFactory.getLogger(MailboxClient.class);

    private static final byte[] TAG = RespWriter.bulk("TAG");

    private final InetSocketAddress address;
    private final MailboxConfig config;
    /** Made once: a method reference is a new object each time it is evaluated. */
    private final ObjectEncoder encoder;
    private final InFlight<CompletableFuture<Object>> inFlight = new InFlight<>();
    private final CompletableFuture<MailboxClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Runnable flushTask = this::flushNow;
    private Channel channel;
    private ChannelHandlerContext ctx;
    private boolean helloDone;
    private boolean reading;
    private boolean flushQueued;
    /** Requests encoded and not yet handed to the channel. */
    private final OutBatch batch = new OutBatch();
    /** Requests handed to the channel (a full batch) and not yet flushed. */
    private boolean unflushed;
    private long nextId;

    private MailboxClient(InetSocketAddress address, MailboxConfig config) {
        this.address = address;
        this.config = config;
        this.encoder = config.codec()::encode;
    }

    /** Connects and authenticates; completes when the connection is ready for requests. */
    static CompletableFuture<MailboxClient> connect(EventLoopImpl loop, InetSocketAddress address, MailboxConfig config) {
        MailboxClient client = new MailboxClient(address, config);
        loop.createConnection(address, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new RespDecoder(config.limits(), client));
                ch.pipeline().addLast(client);
            }
        }).whenComplete((ch, e) -> {
            if (e != null) {
                client.ready.completeExceptionally(Failures.connectionLost("cannot connect to mailbox " + address + ": " + e.getMessage()));
                client.closed.complete(null);
            }
        });
        return client.ready;
    }

    /** Completes when the connection has closed. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    boolean isOpen() {
        return channel != null && channel.isActive();
    }

    /**
     * Sends a command. The arguments are encoded on the connection's loop, where request ids
     * are assigned; an argument that cannot travel fails the returned future.
     */
    CompletableFuture<Object> send(String command, Object[] args) {
        CompletableFuture<Object> reply = LoopThreads.newFuture();
        if (channel.eventLoop().inEventLoop()) {
            write(command, args, reply);
        } else {
            channel.eventLoop().execute(() -> write(command, args, reply));
        }
        return reply;
    }

    private void write(String command, Object[] args, CompletableFuture<Object> reply) {
        if (!channel.isActive()) {
            reply.completeExceptionally(Failures.connectionLost("connection to " + address + " is closed"));
            return;
        }
        long id = ++nextId;
        ByteBuf buf = batch.buffer(ctx.alloc());
        try {
            // Bounded as replies are: a list that shares sub-lists must not expand without limit here either.
            RespWriter.writeTaggedCommand(buf, TAG, id, command, args, encoder, config.limits().maxMessageLength());
        } catch (RuntimeException e) {
            // The writer left the batch as it was before this request.
            reply.completeExceptionally(e);
            return;
        }
        inFlight.put(id, reply);
        if (batch.full() && helloDone) {
            handOn();
        }
        if (helloDone && !reading && !flushQueued) {
            flushQueued = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    /** Hands the batch to the channel, unflushed. */
    private void handOn() {
        ByteBuf buf = batch.take(ctx.alloc());
        if (buf != null) {
            unflushed = true;
            ctx.write(buf, ctx.voidPromise());
        }
    }

    /** Writes and flushes what was encoded, once the handshake is done. */
    private void flushNow() {
        flushQueued = false;
        if (!helloDone || ctx == null) {
            return;
        }
        handOn();
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void releaseBatch() {
        batch.release();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        channel = ctx.channel();
        ByteBuf hello = ctx.alloc().ioBuffer();
        RespWriter.writeCommand(hello, "HELLO", List.of(3L, "AUTH", "default", config.secret()), config.codec()::encode);
        ctx.writeAndFlush(hello);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (!helloDone) {
            if (msg instanceof RespError error) {
                ready.completeExceptionally(Failures.fromRespError(error));
                ctx.close();
                return;
            }
            helloDone = true;
            ready.complete(this);
            return; // what was sent meanwhile is flushed when this read ends
        }
        if (msg instanceof RespPush push && push.values().size() == 3
                && MailboxConnection.REPLY_PUSH.equals(push.values().get(0)) && push.values().get(1) instanceof Long id) {
            complete(id, push.values().get(2));
        } else if (msg instanceof RespError error) {
            log.warn("mailbox {} answered with an error: {}", address, error.message());
        }
    }

    /** A tagged reply straight from the decoder: what {@link #channelRead} does with its push. */
    @Override
    public void taggedReply(long id, Object value) {
        if (!helloDone) {
            channelRead(ctx, new RespPush(Arrays.asList(MailboxConnection.REPLY_PUSH, id, value))); // never expected
            return;
        }
        reading = true; // a request sent from the reply's callback waits for the end of the read
        complete(id, value);
    }

    /** Completes the request {@code id} with a reply's value; must not throw (called from the decoder). */
    private void complete(long id, Object value) {
        CompletableFuture<Object> reply = inFlight.remove(id);
        if (reply == null) {
            log.warn("reply for unknown request {} from {}", id, address);
            return;
        }
        if (value instanceof RespError error) {
            reply.completeExceptionally(Failures.fromRespError(error));
            return;
        }
        try {
            reply.complete(Values.decodeTagged(value, config.codec()));
        } catch (RuntimeException e) {
            reply.completeExceptionally(e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        flushNow();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBatch();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBatch();
        if (!ready.isDone()) {
            ready.completeExceptionally(Failures.connectionLost("mailbox " + address + " closed the connection during the handshake"));
        }
        List<CompletableFuture<Object>> lost = inFlight.clear();
        for (CompletableFuture<Object> f : lost) {
            f.completeExceptionally(Failures.connectionLost("connection to " + address + " closed before the reply"));
        }
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("mailbox client {} failed: {}", address, cause.toString());
        ctx.close();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
