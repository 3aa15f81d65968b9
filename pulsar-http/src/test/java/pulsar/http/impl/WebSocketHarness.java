package pulsar.http.impl;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulsar.Actor;
import pulsar.Settings;
import pulsar.http.HttpRequest;
import pulsar.http.WebSocketHandler;

/**
 * A bare Netty HTTP server whose every request is a WebSocket upgrade through
 * {@link WebSocketUpgrade}, so that the WebSocket layer is tested without the router.
 */
final class WebSocketHarness implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;

    WebSocketHarness(WebSocketHandler handler, Settings settings) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.add(ch);
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(1 << 16))
                                .addLast("router", new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        WebSocketUpgrade.upgrade(ctx, request, view(request, ch), handler, settings);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String uri(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        accepted.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The request as a handler sees it: its line and headers, copied. */
    static HttpRequest view(FullHttpRequest request, Channel ch) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue()));
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name();
        String target = request.uri();
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        return new HttpRequest() {
            public String method() { return method; }
            public String uri() { return target; }
            public String path() { return uri.path(); }
            public String protocol() { return "HTTP/1.1"; }
            public String header(String name) { List<String> v = headers(name); return v.isEmpty() ? null : v.get(0); }
            public List<String> headers(String name) { return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()); }
            public Map<String, List<String>> headers() { return headers; }
            public String pathParam(String name) { return null; }
            public String query(String name) { List<String> v = uri.parameters().get(name); return v == null ? null : v.get(0); }
            public Map<String, List<String>> queryParams() { return uri.parameters(); }
            public String form(String name) { return null; }
            public byte[] body() { return new byte[0]; }
            public String bodyText() { return ""; }
            public <T> T json(Class<T> type) { throw new UnsupportedOperationException(); }
            public InetSocketAddress remoteAddress() { return remote; }
            public Actor worker() { return null; }
            public Object attribute(String name) { return null; }
            public void attribute(String name, Object value) { }
        };
    }
}
