package pulsar.app;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/**
 * One connection accepted by a socket server, as its {@link SocketProtocol} sees it. Every method
 * may be called from any thread; the connection's handlers run on the worker's event loop.
 */
public interface SocketConnection {
    /** The Netty channel of the connection (plain text after TLS, when TLS is on). */
    Channel channel();

    /** The channel's pipeline, where the protocol adds its handlers with {@code addLast}. */
    default ChannelPipeline pipeline() {
        return channel().pipeline();
    }

    /**
     * Counts one request processed, for the worker's {@code info} ({@code requests}). Only for a
     * protocol whose {@link SocketProtocol#countsRequests()} is {@code true}; otherwise the
     * server counts every chunk of bytes read as a request and this adds to that count.
     */
    void countRequest();

    /**
     * Tells the server that every request counted so far on this connection has been answered,
     * its reply written. Only for a protocol whose {@link SocketProtocol#countsRequests()} is
     * {@code true}: such a connection is idle, for a graceful stop, when it has replied to every
     * request it counted (a reply written in several pieces, a stream or a file, is not cut after
     * its first piece). Other protocols need not call it: the server then deems a connection idle
     * once a write completed after its last read.
     */
    void replied();

    /**
     * Whether the server is stopping gracefully: it accepts no more connections and closes this one
     * once it has written a reply to everything it read. A protocol may use it to say goodbye.
     */
    boolean isStopping();
}
