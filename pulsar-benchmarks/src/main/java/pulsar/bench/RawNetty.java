package pulsar.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * The raw Netty reference: a server that answers every {@code *1\r\n$4\r\nping\r\n} (the bytes
 * redis-cli sends for PING) with {@code +PONG\r\n}, and a client that keeps a window of pings
 * outstanding (1 = sequential round trips, with a latency sample per call). Same transport as
 * the actors (epoll when available), one event loop thread each, TCP_NODELAY, 127.0.0.1 only.
 * It does no more than the bytes need: no RESP parser, no authentication, no command table.
 */
final class RawNetty {
    static final byte[] PING = "*1\r\n$4\r\nping\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    private RawNetty() {
    }

    static boolean epoll() {
        return Epoll.isAvailable() && !Boolean.getBoolean("pulsar.nio");
    }

    /** A one-thread event loop group on the same transport as the actors' loops. */
    static EventLoopGroup group(String threadName) {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
        return new MultiThreadIoEventLoopGroup(1, tf, factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends Channel> channel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Starts a PONG server on 127.0.0.1 (port 0 = free) and returns its channel. */
    static Channel server(EventLoopGroup group, int port) throws InterruptedException {
        return new ServerBootstrap()
                .group(group, group)
                .channel(serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new PongHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** Answers each complete 14-byte ping with a pong; flushes once per read batch. */
    static final class PongHandler extends ChannelInboundHandlerAdapter {
        private int partial;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            partial += in.readableBytes();
            in.release();
            while (partial >= PING.length) {
                partial -= PING.length;
                ctx.write(ctx.alloc().ioBuffer(PONG.length).writeBytes(PONG), ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * A client run: {@code warmup + total} pings with {@code window} outstanding. With window 1
     * {@link #samples} holds the round trip of each measured call (nanoTime around it).
     */
    static final class Run {
        final int warmup;
        final int total;
        final int window;
        final long[] samples;
        final CompletableFuture<Run> done = new CompletableFuture<>();
        long startNanos;
        long endNanos;

        Run(int warmup, int total, int window) {
            this.warmup = warmup;
            this.total = total;
            this.window = window;
            this.samples = window == 1 ? new long[total] : null;
        }

        /** Measured calls per second. */
        double perSecond() {
            return total / ((endNanos - startNanos) / 1e9);
        }

        /** The runs as one: samples concatenated, durations added (for runs interleaved in chunks). */
        static Run merged(java.util.List<Run> parts) {
            int n = parts.stream().mapToInt(p -> p.total).sum();
            Run m = new Run(0, n, parts.get(0).window);
            int at = 0;
            long nanos = 0;
            for (Run p : parts) {
                if (m.samples != null) {
                    System.arraycopy(p.samples, 0, m.samples, at, p.total);
                }
                at += p.total;
                nanos += p.endNanos - p.startNanos;
            }
            m.startNanos = 0;
            m.endNanos = nanos;
            return m;
        }
    }

    /** Connects to {@code address} on {@code group} and runs {@code run}; completes when it is over. */
    static CompletableFuture<Run> client(EventLoopGroup group, InetSocketAddress address, Run run) {
        PingClient handler = new PingClient(run);
        new Bootstrap()
                .group(group)
                .channel(channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(handler)
                .connect(address).addListener(f -> {
                    if (!f.isSuccess()) {
                        run.done.completeExceptionally(f.cause());
                    }
                });
        return run.done;
    }

    private static final class PingClient extends ChannelInboundHandlerAdapter {
        private final Run run;
        private final int all;
        private int sent;
        private int received;
        private int partial;
        private long lastSend;

        PingClient(Run run) {
            this.run = run;
            this.all = run.warmup + run.total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (run.warmup == 0) {
                run.startNanos = System.nanoTime();
            }
            int first = Math.min(run.window, all);
            for (int i = 0; i < first; i++) {
                send(ctx);
            }
            ctx.flush();
        }

        private void send(ChannelHandlerContext ctx) {
            sent++;
            lastSend = System.nanoTime();
            ctx.write(ctx.alloc().ioBuffer(PING.length).writeBytes(PING), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            partial += in.readableBytes();
            in.release();
            while (partial >= PONG.length) {
                partial -= PONG.length;
                long now = System.nanoTime();
                received++;
                if (received > run.warmup && run.samples != null) {
                    run.samples[received - run.warmup - 1] = now - lastSend;
                }
                if (received == run.warmup) {
                    run.startNanos = now;
                }
                if (received == all) {
                    run.endNanos = now;
                    ctx.close();
                    run.done.complete(run);
                    return;
                }
                if (sent < all) {
                    send(ctx);
                    if (run.window == 1) {
                        ctx.flush();
                    }
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!run.done.isDone()) {
                run.done.completeExceptionally(new IllegalStateException("raw Netty connection closed after " + received + " replies"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
