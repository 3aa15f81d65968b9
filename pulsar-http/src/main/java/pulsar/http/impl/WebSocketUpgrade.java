package pulsar.http.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import pulsar.Settings;
import pulsar.http.HttpRequest;
import pulsar.http.WebSocketHandler;

/**
 * Placeholder until WebSocket support lands: answers an upgrade request with 501 and closes the
 * connection. The server calls {@link #upgrade} for a request that matched a WebSocket route,
 * once every earlier response of the connection is written; from then on the {@code http}
 * handler lets every inbound message through.
 */
final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, HttpRequest view, WebSocketHandler handler,
            Settings settings) {
        byte[] body = "WebSocket is not supported yet".getBytes(StandardCharsets.US_ASCII);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.NOT_IMPLEMENTED, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).set(HttpHeaderNames.SERVER, HttpServer.SERVER);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
