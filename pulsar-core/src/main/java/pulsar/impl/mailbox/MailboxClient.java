package pulsar.impl.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.loop.LoopThreads;
import pulsar.impl.resp.RespDecoder;
import pulsar.impl.resp.RespError;
import pulsar.impl.resp.RespPush;
import pulsar.impl.resp.RespWriter;

/**
 * Our own mailbox client: one connection, authenticated with {@code HELLO 3 AUTH}, sending
 * every request as {@code TAG id command args} so that replies come back as soon as each
 * command completes, matched by id: a slow command never holds up the replies behind it.
 * All state is confined to the connection's loop.
 */
final class MailboxClient extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(MailboxClient.class);

    private final InetSocketAddress address;
    private final MailboxConfig config;
    private final Map<Long, CompletableFuture<Object>> inFlight = new HashMap<>();
    private final List<ByteBuf> beforeHello = new ArrayList<>();
    private final CompletableFuture<MailboxClient> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Channel channel;
    private boolean helloDone;
    private long nextId;

    private MailboxClient(InetSocketAddress address, MailboxConfig config) {
        this.address = address;
        this.config = config;
    }

    /** Connects and authenticates; completes when the connection is ready for requests. */
    static CompletableFuture<MailboxClient> connect(EventLoopImpl loop, InetSocketAddress address, MailboxConfig config) {
        MailboxClient client = new MailboxClient(address, config);
        loop.createConnection(address, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Consolidates flushes during a read only: consolidating a flush outside a read
                // (consolidateWhenNoReadInProgress) delayed a lone request by 15-20 ms (a spawned
                // actor's second notify: issue 10, pulsar-benchmarks/notes/issue10-spawn.md).
                ch.pipeline().addLast(new FlushConsolidationHandler(256, false));
                ch.pipeline().addLast(new RespDecoder(config.limits()));
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
        ByteBuf frame = channel.alloc().ioBuffer();
        List<Object> tagged = new ArrayList<>(args.length + 2);
        tagged.add(0L); // placeholder: the id is set on the loop, where ids are assigned
        tagged.add(command);
        tagged.addAll(Arrays.asList(args));
        if (channel.eventLoop().inEventLoop()) {
            write(tagged, frame, reply);
        } else {
            channel.eventLoop().execute(() -> write(tagged, frame, reply));
        }
        return reply;
    }

    private void write(List<Object> tagged, ByteBuf frame, CompletableFuture<Object> reply) {
        long id = ++nextId;
        tagged.set(0, id);
        try {
            // Bounded as replies are: a list that shares sub-lists must not expand without limit here either.
            RespWriter.writeCommand(frame, "TAG", tagged, config.codec()::encode, config.limits().maxMessageLength());
        } catch (RuntimeException e) {
            frame.release();
            reply.completeExceptionally(e);
            return;
        }
        if (!channel.isActive()) {
            frame.release();
            reply.completeExceptionally(Failures.connectionLost("connection to " + address + " is closed"));
            return;
        }
        inFlight.put(id, reply);
        if (helloDone) {
            channel.writeAndFlush(frame, channel.voidPromise());
        } else {
            beforeHello.add(frame);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ByteBuf hello = ctx.alloc().ioBuffer();
        RespWriter.writeCommand(hello, "HELLO", List.of(3L, "AUTH", "default", config.secret()), config.codec()::encode);
        ctx.writeAndFlush(hello);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!helloDone) {
            if (msg instanceof RespError error) {
                ready.completeExceptionally(Failures.fromRespError(error));
                ctx.close();
                return;
            }
            helloDone = true;
            for (ByteBuf b : beforeHello) {
                ctx.write(b, ctx.voidPromise());
            }
            beforeHello.clear();
            ctx.flush();
            ready.complete(this);
            return;
        }
        if (msg instanceof RespPush push && push.values().size() == 3
                && MailboxConnection.REPLY_PUSH.equals(push.values().get(0)) && push.values().get(1) instanceof Long id) {
            CompletableFuture<Object> reply = inFlight.remove(id);
            if (reply == null) {
                log.warn("reply for unknown request {} from {}", id, address);
                return;
            }
            Object value = push.values().get(2);
            if (value instanceof RespError error) {
                reply.completeExceptionally(Failures.fromRespError(error));
                return;
            }
            try {
                reply.complete(Values.decodeTagged(value, config.codec()));
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
            }
        } else if (msg instanceof RespError error) {
            log.warn("mailbox {} answered with an error: {}", address, error.message());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (ByteBuf b : beforeHello) {
            b.release();
        }
        beforeHello.clear();
        if (!ready.isDone()) {
            ready.completeExceptionally(Failures.connectionLost("mailbox " + address + " closed the connection during the handshake"));
        }
        List<CompletableFuture<Object>> lost = new ArrayList<>(inFlight.values());
        inFlight.clear();
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
