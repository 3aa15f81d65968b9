package pulsar.impl.mailbox;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.resp.RespDecoder;

/** An actor's mailbox: a RESP server on the actor's loop. */
public final class MailboxServer {
    /**
     * The write water marks of a mailbox connection: sized for batches of replies (one buffer per
     * read batch, up to {@link MailboxConnection#BATCH_BYTES}), so that a pipelining client that
     * reads its replies never crosses them, while one that does not read stops being read once
     * this much is queued for it (reading resumes below the low mark).
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);
    static final String TOO_MANY = "-ERR max number of clients reached (the mailbox_max_connections setting)\r\n";

    private final Channel channel;
    private final ChannelGroup connections;

    private MailboxServer(Channel channel, ChannelGroup connections) {
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Opens a mailbox. A mailbox bound to a non-loopback address must have a strict
     * allow-list ({@code serialization_allow}): the secret alone is not enough off this host.
     *
     * @return completes with the open mailbox, or fails when the address is taken or refused
     */
    public static CompletableFuture<MailboxServer> open(EventLoopImpl loop, InetSocketAddress bind,
                                                        MailboxConfig config, CommandExecutor executor) {
        if (bind.getAddress() == null || !bind.getAddress().isLoopbackAddress()) {
            if (!config.codec().strict()) {
                return CompletableFuture.failedFuture(new IllegalStateException("a mailbox bound to " + bind
                        + " (not loopback) needs the serialization_allow setting: a strict allow-list of the classes it may decode"));
            }
        }
        ChannelGroup connections = new DefaultChannelGroup(loop.netty());
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                MailboxServer.initChannel(ch, connections, config, executor);
            }
        };
        return loop.createServer(bind, init).thenApply(ch -> new MailboxServer(ch, connections));
    }

    /**
     * Sets up one accepted connection: refused with an error when the mailbox already has
     * {@link MailboxConfig#maxConnections()}, else a decoder limited to
     * {@link MailboxConfig#maxUnauthenticatedLength()} until the connection authenticates.
     */
    static void initChannel(Channel ch, ChannelGroup connections, MailboxConfig config, CommandExecutor executor) {
        if (connections.size() >= config.maxConnections()) {
            ch.config().setAutoRead(false);
            ch.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY.getBytes(StandardCharsets.US_ASCII)))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connections.add(ch);
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        RespDecoder decoder = new RespDecoder(config.limits());
        decoder.frameLimit(config.maxUnauthenticatedLength());
        ch.pipeline().addLast("resp", decoder);
        ch.pipeline().addLast("mailbox", new MailboxConnection(config, executor, decoder));
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the server socket and every open connection. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.close().addListener(f -> connections.close().addListener(g -> done.complete(null)));
        return done;
    }

    /**
     * Closes the listening socket and every connection now, from any thread, even when the
     * loop that owns them is stuck: clients are refused rather than left unanswered. On the
     * epoll transport the file descriptors are closed directly; elsewhere the close is queued
     * on the loop as {@link #close()} does.
     */
    public void forceClose() {
        forceClose(channel);
        connections.forEach(MailboxServer::forceClose);
        close();
    }

    private static void forceClose(Channel ch) {
        if (ch instanceof io.netty.channel.unix.UnixChannel unix) {
            try {
                unix.fd().close();
            } catch (java.io.IOException ignored) {
                // already closed
            }
        }
    }
}
