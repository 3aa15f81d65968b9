package pulsar.http.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import pulsar.Settings;
import pulsar.app.SocketConnection;
import pulsar.http.HttpRequest;
import pulsar.http.WebSocketHandler;

/**
 * Turns an HTTP request of a {@code Router.websocket} route into a WebSocket connection (RFC
 * 6455, version 13), or answers why not: 405 for a method other than {@code GET}, 426 with
 * {@code Sec-WebSocket-Version: 13} for another version, 400 for anything else that is not a
 * valid handshake (no {@code Upgrade: websocket} or {@code Connection: Upgrade}, no version, a
 * key that is not 16 bytes in base64, HTTP/1.0). A refused upgrade closes the connection after
 * its response.
 */
public final class WebSocketUpgrade {
    /** The fewest unsent bytes a connection may hold before a send closes it (see {@link #outboundLimit}). */
    static final int MIN_OUTBOUND_LIMIT = 1 << 20;

    private WebSocketUpgrade() {
    }

    /**
     * Upgrades {@code request} on the caller's handler context {@code ctx}, on the channel's loop.
     * Reads {@code request} synchronously and neither retains nor releases it (the caller keeps
     * it). On success it writes the 101 response, lets Netty's handshaker swap the HTTP codec for
     * the WebSocket codec (it also removes an {@code HttpObjectAggregator} and an
     * {@code HttpContentCompressor}), and adds after the caller's handler a UTF-8 check, a frame
     * aggregator bounded by {@code max_frame_size} and the connection's handler, which calls
     * {@code handler.onOpen} once the 101 is written. From then on the caller's handler must let
     * every inbound message, exception and event through, and write nothing. Once the 101 is
     * written the upgrade counts as replied ({@link SocketConnection#replied()}), so that a
     * graceful stop closes the connection at once, with 1001.
     *
     * @param view the request as the handler sees it; {@code WebSocket.request()} returns it, so
     *     it must stay readable (headers, path) after {@code request} is released
     * @return the status of the answer, for the access log: 101, or the refusal's
     */
    public static int upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequest view,
            WebSocketHandler handler, Settings settings) {
        HttpHeaders h = request.headers();
        if (!HttpMethod.GET.equals(request.method())) {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, HttpHeaderNames.ALLOW, "GET",
                    "a WebSocket upgrade is a GET, not a " + request.method());
            return HttpResponseStatus.METHOD_NOT_ALLOWED.code();
        }
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                || !h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, null, null,
                    "not a WebSocket upgrade: it takes HTTP/1.1 with Upgrade: websocket and Connection: Upgrade");
            return HttpResponseStatus.BAD_REQUEST.code();
        }
        String version = h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (version == null) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, null, null, "no Sec-WebSocket-Version header");
            return HttpResponseStatus.BAD_REQUEST.code();
        }
        if (!version.trim().equals("13")) {
            refuse(ctx, HttpResponseStatus.UPGRADE_REQUIRED, HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13",
                    "unsupported WebSocket version " + version + ": this server speaks 13");
            return HttpResponseStatus.UPGRADE_REQUIRED.code();
        }
        if (!validKey(h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, null, null, "Sec-WebSocket-Key must be 16 bytes in base64");
            return HttpResponseStatus.BAD_REQUEST.code();
        }
        int maxFrameSize = settings.maxFrameSize();
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFrameSize)
                .allowExtensions(false)
                .closeOnProtocolViolation(false) // WebSocketConnection answers the violation itself
                .build();
        String url = "ws://" + h.get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker13 handshaker = new WebSocketServerHandshaker13(url, null, decoder);

        ChannelPipeline p = ctx.pipeline();
        WebSocketConnection connection = new WebSocketConnection(ctx.channel(), view, handler);
        int limit = outboundLimit(maxFrameSize);
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(limit / 2, limit));
        p.addAfter(ctx.name(), "ws-utf8", new Utf8FrameValidator(false)); // text must be UTF-8: else 1007
        p.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(maxFrameSize));
        p.addAfter("ws-aggregator", "websocket", connection);
        handshaker.handshake(ctx, request).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                replied(p);
                connection.opened();
            } else {
                f.channel().close();
            }
        });
        return HttpResponseStatus.SWITCHING_PROTOCOLS.code();
    }

    /** Tells the socket server that the upgrade request is answered: the connection owes no reply. */
    private static void replied(ChannelPipeline p) {
        for (Map.Entry<String, ChannelHandler> e : p) {
            if (e.getValue() instanceof SocketConnection c) {
                c.replied();
            }
        }
    }

    /**
     * The unsent bytes a connection may hold: 4 times {@code max_frame_size}, at least 1 MiB. A
     * send that finds that much waiting closes the connection (1008): its client does not read.
     */
    static int outboundLimit(int maxFrameSize) {
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(MIN_OUTBOUND_LIMIT, 4L * maxFrameSize));
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, CharSequence header,
            String value, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.SERVER, HttpServer.SERVER);
        if (header != null) {
            response.headers().set(header, value);
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
