package pulsar.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Reference of benchmark 10: a raw Netty HTTP/1.1 server as TechEmpower's Netty entry writes it
 * (HttpServerCodec and one handler; /plaintext from a shared buffer, /json serialized by Jackson
 * per request; responses written as requests are decoded and flushed once per read, so 16
 * pipelined requests go out in one write). Args: PORT LOOPS. Exits when standard input closes.
 */
public final class RawHttpMain {
    private static final AsciiString SERVER = AsciiString.cached(HttpRefs.SERVER);
    private static final AsciiString TEXT = AsciiString.cached(HttpRefs.TEXT);
    private static final AsciiString JSON = AsciiString.cached(HttpRefs.JSON);
    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HttpRefs.HELLO)).asReadOnly();
    private static volatile AsciiString date = new AsciiString(HttpRefs.date());

    private RawHttpMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = Integer.parseInt(args[1]);
        EventLoopGroup boss = RawNetty.group("raw-http-boss");
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(loops,
                RawNetty.epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        boss.scheduleAtFixedRate(() -> date = new AsciiString(HttpRefs.date()), 1, 1, TimeUnit.SECONDS);
        Channel server = new ServerBootstrap().group(boss, workers).channel(RawNetty.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 2048)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), Hello.INSTANCE);
                    }
                }).bind("127.0.0.1", port).sync().channel();
        HttpRefs.readyThenAwaitStdinEof(port);
        server.close().sync();
        System.exit(0);
    }

    @ChannelHandler.Sharable
    static final class Hello extends ChannelInboundHandlerAdapter {
        static final Hello INSTANCE = new Hello();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    FullHttpResponse response = switch (request.uri()) {
                        case "/plaintext" -> ok(HELLO.duplicate(), TEXT);
                        case "/json" -> ok(Unpooled.wrappedBuffer(HttpRefs.json()), JSON);
                        default -> new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                    };
                    ctx.write(response, ctx.voidPromise());
                }
            } finally {
                ReferenceCountUtil.release(msg); // the request and its (empty) LastHttpContent
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** wrk resets its connections when it stops: close quietly, as TechEmpower's handler does. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse ok(ByteBuf body, AsciiString type) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            HttpHeaders h = r.headers();
            h.set(HttpHeaderNames.CONTENT_TYPE, type);
            h.set(HttpHeaderNames.SERVER, SERVER);
            h.set(HttpHeaderNames.DATE, date);
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return r;
        }
    }
}
