package pulsar.impl.socket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.app.SocketProtocol;

/**
 * Sets up each accepted connection on the server's loop: refuses it beyond {@code max_connections}
 * or while stopping, else builds the pipeline {@code bytes → tls → keep-alive → connection →
 * (the protocol's handlers) → errors}.
 */
@Sharable
final class ConnectionInitializer extends ChannelInitializer<Channel> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionInitializer.class);

    private final SocketServer server;
    private final SocketProtocol protocol;
    private final SslContext tls; // null for plain TCP
    private final Duration keepAlive;
    private final int maxConnections;
    private final ByteCounter bytes;

    ConnectionInitializer(SocketServer server, SocketProtocol protocol, SslContext tls, Duration keepAlive,
            int maxConnections) {
        this.server = server;
        this.protocol = protocol;
        this.tls = tls;
        this.keepAlive = keepAlive;
        this.maxConnections = maxConnections;
        this.bytes = new ByteCounter(server.stats());
    }

    @Override
    protected void initChannel(Channel ch) throws Exception {
        ServerStats stats = server.stats();
        if (maxConnections > 0 && stats.open.get() >= maxConnections) {
            stats.rejected.incrementAndGet();
            ch.close();
            return;
        }
        Connection connection = new Connection(server, ch, !protocol.countsRequests());
        server.opened(connection);
        if (server.isStopping()) {
            connection.drain(); // accepted while stopping: served, then closed
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("bytes", bytes);
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        if (!keepAlive.isZero()) {
            p.addLast("keep-alive", new KeepAlive(keepAlive));
        }
        p.addLast("connection", connection);
        protocol.initConnection(connection); // throws: Netty logs it and closes the channel
        p.addLast("errors", Errors.INSTANCE);
    }

    /** Closes a connection silent, both ways, for {@code keep_alive}. */
    private static final class KeepAlive extends IdleStateHandler {
        KeepAlive(Duration keepAlive) {
            super(0, 0, keepAlive.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            LOG.debug("{}: silent for the keep_alive time, closing", ctx.channel());
            ctx.close();
        }
    }

    /** Last in the pipeline: an error not handled by the protocol (a bad TLS record, a decoder's) closes that connection only. */
    @Sharable
    private static final class Errors extends ChannelInboundHandlerAdapter {
        static final Errors INSTANCE = new Errors();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{}: {}, closing", ctx.channel(), cause.toString());
            ctx.close();
        }
    }
}
