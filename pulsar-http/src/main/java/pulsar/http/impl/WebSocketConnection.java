package pulsar.http.impl;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.http.HttpRequest;
import pulsar.http.WebSocket;
import pulsar.http.WebSocketHandler;

/**
 * One upgraded connection: the last handler of its pipeline, after the frame aggregator. Calls
 * the user's handler on the channel's loop, answers pings and close frames, and turns decoder
 * errors into close codes. The fields other than {@code open} are used on the loop only.
 */
final class WebSocketConnection extends ChannelDuplexHandler implements WebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
    /** How long a close we started waits for the client's close frame before the TCP connection is closed. */
    static final long CLOSE_TIMEOUT_MS = 5_000;

    private final Channel channel;
    private final HttpRequest request;
    private final WebSocketHandler handler;
    private volatile boolean open;  // from opened() until a close frame is sent or received, or the channel ends
    private boolean closeSent;
    private boolean closeReceived;
    private boolean opened;   // onOpen was called: onClose will be, once
    private boolean notified;
    private int closeCode = 1006;
    private String closeReason = "";

    WebSocketConnection(Channel channel, HttpRequest request, WebSocketHandler handler) {
        this.channel = channel;
        this.request = request;
        this.handler = handler;
    }

    /** The 101 response is written: the connection is open. On the loop. */
    void opened() {
        if (!channel.isActive()) {
            return;
        }
        open = true;
        opened = true;
        try {
            handler.onOpen(this);
        } catch (Exception | LinkageError e) {
            handlerFailed("onOpen", e);
        }
    }

    @Override
    public String id() {
        return channel.id().asLongText();
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<Void> sendText(String text) {
        return send(new TextWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    @Override
    public CompletionStage<Void> sendBinary(byte[] data) {
        return send(new BinaryWebSocketFrame(Unpooled.copiedBuffer(data)));
    }

    private CompletionStage<Void> send(WebSocketFrame frame) {
        if (!open) {
            frame.release();
            return CompletableFuture.failedFuture(new IllegalStateException("WebSocket " + id() + " is closed"));
        }
        if (!channel.isWritable()) {
            // The client does not read: close it rather than let its unsent messages grow without bound.
            frame.release();
            channel.eventLoop().execute(this::abortSlowClient);
            return CompletableFuture.failedFuture(new IllegalStateException("WebSocket " + id()
                    + " closed: its client does not read (more than " + channel.config().getWriteBufferHighWaterMark()
                    + " bytes unsent)"));
        }
        return completion(channel.writeAndFlush(frame));
    }

    private static CompletionStage<Void> completion(ChannelFuture write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        write.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (!WebSocketCloseStatus.isValidStatusCode(code)) {
            throw new IllegalArgumentException("WebSocket close code " + code + " is not one an endpoint may send (1000-1003, 1007-1014, 3000-4999)");
        }
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("WebSocket close reason is longer than 123 bytes in UTF-8: '" + text + "'");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (closeSent || !channel.isActive()) {
                done.complete(null);
            } else {
                startClose(code, text).whenComplete((v, e) -> done.complete(null));
            }
        });
        return done;
    }

    /** Sends our close frame and closes the TCP connection when the client answers, or after {@link #CLOSE_TIMEOUT_MS}. On the loop. */
    private CompletionStage<Void> startClose(int code, String reason) {
        closeSent = true;
        open = false;
        closeCode = code;
        closeReason = reason;
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return completion(channel.writeAndFlush(new CloseWebSocketFrame(code, reason)));
    }

    /** Closes at once, with a close frame when none was sent yet (the decoder's errors). On the loop. */
    private void fail(int code, String reason) {
        if (closeSent) {
            channel.close();
            return;
        }
        closeSent = true;
        open = false;
        closeCode = code;
        closeReason = reason;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> channel.close());
    }

    private void abortSlowClient() {
        if (!closeSent) {
            closeSent = true;
            open = false;
            closeCode = 1008;
            closeReason = "client does not read";
            LOG.debug("{}: more than {} bytes unsent, closing", channel, channel.config().getWriteBufferHighWaterMark());
        }
        channel.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closeReceived) {
                return; // nothing counts after the client's close frame
            }
            if (msg instanceof TextWebSocketFrame text) {
                handler.onText(this, text.text());
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                handler.onBinary(this, ByteBufUtil.getBytes(binary.content()));
            } else if (msg instanceof PingWebSocketFrame ping) {
                if (!closeSent) {
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                }
            } else if (msg instanceof CloseWebSocketFrame close) {
                peerClosed(close);
            }
            // Pongs (answers to nothing we sent, or keep-alives) are ignored.
        } catch (Exception | LinkageError e) {
            handlerFailed(msg instanceof TextWebSocketFrame ? "onText" : "onBinary", e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void peerClosed(CloseWebSocketFrame close) {
        closeReceived = true;
        open = false;
        if (closeSent) {
            channel.close(); // the answer to our close: the handshake is done
            return;
        }
        closeSent = true;
        int code = close.statusCode();
        closeCode = code < 0 ? 1005 : code; // 1005: the frame had no code
        closeReason = code < 0 ? "" : close.reasonText();
        CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
        channel.writeAndFlush(answer).addListener(f -> channel.close());
    }

    private void handlerFailed(String method, Throwable e) {
        LOG.warn("WebSocket {} {}: {}.{} failed, closing with 1011", request.path(), id(),
                handler.getClass().getName(), method, e);
        fail(1011, "internal error");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException bad) {
            WebSocketCloseStatus status = bad.closeStatus();
            LOG.debug("{}: {}, closing with {}", channel, bad.getMessage(), status.code());
            fail(status.code(), status.reasonText());
        } else if (cause instanceof TooLongFrameException) {
            // the aggregator: the fragments of a message together exceed max_frame_size
            fail(1009, "message too big");
        } else {
            LOG.debug("{}: {}, closing", channel, cause.toString());
            channel.close();
        }
    }

    /**
     * A close from elsewhere (the server's graceful stop) says goodbye with 1001 first, so the
     * client sees a clean close.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeSent || !open || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        open = false;
        closeCode = 1001;
        closeReason = "server going away";
        ctx.writeAndFlush(new CloseWebSocketFrame(1001, closeReason)).addListener(f -> ctx.close(promise));
        ctx.executor().schedule(() -> {
            ctx.channel().close();
        }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open = false;
        if (opened && !notified) {
            notified = true;
            if (!closeSent && !closeReceived) {
                closeCode = 1006;
                closeReason = "";
            }
            try {
                handler.onClose(this, closeCode, closeReason);
            } catch (Exception | LinkageError e) {
                LOG.warn("WebSocket {} {}: {}.onClose failed", request.path(), id(), handler.getClass().getName(), e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "WebSocket[" + id() + " " + request.path() + "]";
    }
}
