package pulsar.http.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Settings;
import pulsar.app.SocketConnection;
import pulsar.http.HttpException;
import pulsar.http.HttpResponse;
import pulsar.http.WebSocketHandler;

/**
 * One HTTP/1.x connection, after Netty's decoder: reads each request's head and (bounded) body,
 * runs the router, and writes the responses in the order the requests came, whatever order they
 * are ready in (pipelining). Keep-alive as HTTP/1.0 and 1.1 define it; limits answered with their
 * status; a response to a request whose framing cannot be trusted closes the connection. Runs on
 * the worker's loop.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("pulsar.http.access");
    /** Requests read ahead of their responses before the connection stops reading. */
    static final int MAX_PIPELINED = 16;
    /** After an error that breaks framing, how long the client's bytes are drained before closing. */
    static final long LINGER_MS = 1000;

    private final HttpServer server;
    private final SocketConnection connection;
    private final HeadTimer headTimer = new HeadTimer();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private final ResponseWriter writer;
    private RequestDecoder decoder;
    private ChannelHandlerContext ctx;
    private Exchange reading;      // the request whose body is being read
    private boolean writing;       // the head of the queue is being written
    private boolean discarding;    // an error ended the connection's requests: drop what comes
    private boolean upgraded;      // a WebSocket now: let everything through
    private boolean inRead;        // between channelRead and channelReadComplete: responses ready now are flushed at its end
    private boolean unflushed;     // responses written and not flushed yet

    private HttpConnection(HttpServer server, SocketConnection connection) {
        this.server = server;
        this.connection = connection;
        this.writer = new ResponseWriter(server);
    }

    /** Adds the HTTP handlers to a new connection's pipeline. */
    static void init(HttpServer server, SocketConnection connection) {
        Settings s = server.settings();
        HttpConnection http = new HttpConnection(server, connection);
        http.decoder = new RequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(s.maxRequestLine())
                .setMaxHeaderSize(s.maxHeaderSize())
                .setMaxChunkSize(64 * 1024));
        ChannelPipeline p = connection.pipeline();
        p.addLast("http-timeout", http.headTimer);
        p.addLast("http-decoder", http.decoder);
        p.addLast("http-encoder", new HttpResponseEncoder());
        p.addLast("http", http); // "http-chunked" goes before it when a file is first sent over TLS (ResponseWriter)
    }

    /** The request decoder, refusing a message with both {@code Content-Length} and {@code Transfer-Encoding}. */
    static final class RequestDecoder extends HttpRequestDecoder {
        RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new IllegalArgumentException("both Content-Length and Transfer-Encoding");
        }

        /** Whether bytes of a next request wait in the decoder. */
        boolean buffered() {
            return actualReadableBytes() > 0;
        }
    }

    /** One request and, once ready, its response. */
    static final class Exchange {
        final io.netty.handler.codec.http.HttpRequest head;
        final long started;
        final boolean keepAlive;
        ByteArrayOutputStream body; // null until a body byte arrives
        boolean expectContinue;
        boolean continueSent;
        boolean closeAfter;
        RequestView view;
        HttpResponse response;

        Exchange(io.netty.handler.codec.http.HttpRequest head, long started) {
            this.head = head;
            this.started = started;
            this.keepAlive = head.decoderResult().isSuccess() && HttpUtil.isKeepAlive(head);
        }

        boolean isHead() {
            return head.method().name().equals("HEAD");
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgraded) {
            ctx.fireChannelRead(msg);
            return;
        }
        inRead = true;
        try {
            if (discarding) {
                return;
            }
            if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
                onHead(head);
            } else if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(io.netty.handler.codec.http.HttpRequest head) {
        headTimer.headArrived();
        connection.countRequest();
        Exchange ex = new Exchange(head, server.clock().millis());
        queue.add(ex);
        reading = ex;
        DecoderResult result = head.decoderResult();
        HttpHeaders h = head.headers();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException ? 431 : 400;
            LOG.debug("{}: bad request ({}): {}", ctx.channel(), status, cause.toString());
            fail(ex, status);
            return;
        }
        HttpVersion version = head.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            fail(ex, 505);
            return;
        }
        if (h.size() > server.settings().maxHeaders()) {
            fail(ex, 431);
            return;
        }
        if (version.minorVersion() == 1 && !h.contains(HttpHeaderNames.HOST)) {
            fail(ex, 400);
            return;
        }
        String expect = h.get(HttpHeaderNames.EXPECT);
        if (expect != null && version.minorVersion() == 1) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                fail(ex, 417);
                return;
            }
            ex.expectContinue = true;
        }
        if (HttpUtil.getContentLength(head, 0L) > server.settings().maxBodySize()) {
            fail(ex, 413);
            return;
        }
        if (queue.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        if (queue.peek() == ex) {
            sendContinue(ex);
        }
    }

    private void onContent(HttpContent content) {
        Exchange ex = reading;
        if (ex == null) {
            return;
        }
        if (content.decoderResult().isFailure()) {
            LOG.debug("{}: bad body: {}", ctx.channel(), content.decoderResult().cause().toString());
            fail(ex, 400);
            return;
        }
        ByteBuf bytes = content.content();
        int size = ex.body == null ? 0 : ex.body.size();
        if (size + (long) bytes.readableBytes() > server.settings().maxBodySize()) {
            fail(ex, 413);
            return;
        }
        if (bytes.isReadable()) {
            if (ex.body == null) {
                ex.body = new ByteArrayOutputStream(Math.max(32, bytes.readableBytes()));
            }
            ex.body.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(bytes));
        }
        if (content instanceof LastHttpContent) {
            reading = null;
            headTimer.requestDone(decoder.buffered());
            dispatch(ex);
        }
    }

    /** Answers {@code ex} with {@code status}, stops reading requests, and closes after the answer. */
    private void fail(Exchange ex, int status) {
        ex.response = HttpResponse.text(status, HttpResponseStatus.valueOf(status).reasonPhrase());
        ex.closeAfter = true;
        discarding = true;
        reading = null;
        headTimer.off();
        ctx.channel().config().setAutoRead(false);
        pump();
    }

    private void dispatch(Exchange ex) {
        HttpResponse response;
        try {
            ex.view = new RequestView(server, ex.head, ex.body == null ? NO_BODY : ex.body.toByteArray(), remote());
            response = server.routes().dispatch(ex.view);
        } catch (Throwable t) {
            response = error(ex, t);
        }
        resolve(ex, response);
    }

    private static final byte[] NO_BODY = new byte[0];

    private InetSocketAddress remote() {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet : null;
    }

    /** Sets {@code ex}'s response once it is ready (waiting for an async one without blocking), then writes what it can. */
    private void resolve(Exchange ex, HttpResponse response) {
        if (response == null) {
            response = error(ex, new IllegalStateException("the handler returned no response"));
        }
        if (response.later() != null) {
            response.later().whenComplete((r, e) -> ctx.executor().execute(
                    () -> resolve(ex, e == null ? r : error(ex, e))));
            return;
        }
        ex.response = response;
        pump();
    }

    /** The response to a handler's failure: its {@link HttpException}'s status, else 500 (logged). */
    private HttpResponse error(Exchange ex, Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpException h) {
            return HttpResponse.text(h.status(), h.getMessage() == null ? "" : h.getMessage());
        }
        if (ex.view == null && t instanceof IllegalArgumentException) { // a path or query that does not decode
            return HttpResponse.text(400, "Bad Request");
        }
        LOG.warn("{} {}: the handler failed", ex.head.method(), ex.head.uri(), t);
        return HttpResponse.text(500, "Internal Server Error");
    }

    /**
     * Writes the response at the head of the queue when it is ready, then the next ones. Bytes in
     * memory on a connection that stays open are written at once, without waiting for the write
     * to complete, and flushed once: at the end of the read batch (channelReadComplete) when one
     * is in progress, else here. Files, streams and last responses are written one at a time.
     */
    private void pump() {
        while (true) {
            if (writing || upgraded || !ctx.channel().isActive()) {
                break;
            }
            Exchange ex = queue.peek();
            if (ex == null) {
                flushUnlessReading();
                connection.replied();
                if (!discarding && !ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
                return;
            }
            sendContinue(ex);
            if (ex.response == null) {
                break;
            }
            if (ex.view != null && ex.response.status() == 101 && ex.view.attribute(Routes.WEBSOCKET) instanceof WebSocketHandler ws) {
                flush();
                upgrade(ex, ws);
                return;
            }
            boolean close = ex.closeAfter || !ex.keepAlive || connection.isStopping()
                    || ex.response.stream() != null && !ex.head.protocolVersion().equals(HttpVersion.HTTP_1_1); // 1.0: no chunks
            ex.closeAfter = close;
            if (!close && ResponseWriter.inMemory(ex.response)) {
                long bytes;
                try {
                    bytes = writer.writeNow(ctx, ex.head, ex.response);
                } catch (RuntimeException e) { // a handler's bad header: the responses before it still go out
                    flush();
                    throw e;
                }
                unflushed = true;
                queue.poll();
                logAccess(ex, bytes);
                if (queue.size() < MAX_PIPELINED && !discarding && !ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                }
                continue;
            }
            writing = true;
            unflushed = false; // flushed with this one
            writer.write(ctx, ex.head, ex.response, close).whenComplete((bytes, failure) -> written(ex, bytes, failure));
            return;
        }
        flushUnlessReading();
    }

    private void flushUnlessReading() {
        if (unflushed && !inRead) {
            flush();
        }
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        flush();
        ctx.fireChannelReadComplete();
    }

    private void logAccess(Exchange ex, Long bytes) {
        logAccess(ex, ex.response.status(), bytes);
    }

    /** One line of the access log, when {@code access_log} is on; {@code bytes} null when unknown. */
    private void logAccess(Exchange ex, int status, Long bytes) {
        if (server.settings().accessLog() && ACCESS.isInfoEnabled()) {
            InetSocketAddress remote = remote();
            ACCESS.info("{} \"{} {} {}\" {} {} {}ms", remote == null ? "-" : remote.getAddress().getHostAddress(),
                    ex.head.method(), ex.head.uri(), ex.head.protocolVersion(), status,
                    bytes == null ? "-" : bytes, server.clock().millis() - ex.started);
        }
    }

    private void written(Exchange ex, Long bytes, Throwable failure) {
        writing = false;
        queue.poll();
        logAccess(ex, bytes);
        if (failure != null) {
            LOG.debug("{}: response not written: {}", ctx.channel(), failure.toString());
            ctx.close();
        } else if (ex.closeAfter || connection.isStopping()) {
            close();
        } else {
            if (queue.size() < MAX_PIPELINED && !discarding && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
            pump();
        }
    }

    /**
     * Closes after a final response. After an error the client may still be sending (a body we
     * refused): its output half is closed first and what it sends is drained for a moment, so that
     * it reads the answer instead of a reset.
     */
    private void close() {
        if (discarding && ctx.channel() instanceof DuplexChannel duplex && !(connection.isStopping())) {
            duplex.shutdownOutput();
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    /** Sends {@code 100 Continue} to a request that expects it once it is the one to answer and its body is still to come. */
    private void sendContinue(Exchange ex) {
        if (ex.expectContinue && !ex.continueSent && ex == reading && ex.response == null) {
            ex.continueSent = true;
            unflushed = false; // flushed with it
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
    }

    private void upgrade(Exchange ex, WebSocketHandler handler) {
        queue.clear();
        upgraded = true;
        headTimer.off();
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(ex.head.protocolVersion(), ex.head.method(), ex.head.uri(),
                Unpooled.wrappedBuffer(ex.view.body()), ex.head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        int status = WebSocketUpgrade.upgrade(ctx, full, ex.view, handler, server.settings());
        logAccess(ex, status, null); // 101, or why not: the handshake's bytes are Netty's
    }

    /** The head timer ran out: the client took longer than {@code header_timeout} to send a request's head. */
    /** The request being read did not send its whole body within body_timeout: 408, then closed. */
    private void bodyTimeout() {
        if (discarding || upgraded || reading == null || !ctx.channel().isActive()) {
            return;
        }
        LOG.debug("{}: no whole request body within body_timeout ({}), closing", ctx.channel(), server.settings().bodyTimeout());
        fail(reading, 408);
    }

    private void headTimeout() {
        if (discarding || upgraded || !ctx.channel().isActive()) {
            return;
        }
        LOG.debug("{}: no request head within header_timeout ({}), closing", ctx.channel(), server.settings().headerTimeout());
        discarding = true;
        if (queue.isEmpty()) {
            DefaultFullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                    Unpooled.EMPTY_BUFFER);
            timeout.headers().set(Names.CONTENT_LENGTH, 0).set(Names.CONNECTION, Names.CLOSE)
                    .set(Names.DATE, server.date()).set(Names.SERVER, HttpServer.SERVER);
            ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            writer.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        writer.closed();
        headTimer.off();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgraded) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.debug("{}: {}, closing", ctx.channel(), cause.toString());
        ctx.close();
    }

    /**
     * Before the decoder: starts the {@code header_timeout} clock at the first byte of a request,
     * stopped when its head is decoded. A client that trickles its head is closed at the deadline.
     * One timer per connection at most, not one per request: starting and stopping the clock only
     * notes the time, and the timer, when it fires, checks it (and waits again for what is left).
     */
    private final class HeadTimer extends ChannelInboundHandlerAdapter {
        private ScheduledFuture<?> timer;
        private boolean waiting = true;
        private long since = -1; // System.nanoTime() when the clock started, -1 when it is stopped
        private boolean body;    // the clock runs for a body (body_timeout), else for a head (header_timeout)
        private ChannelHandlerContext timerCtx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timerCtx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (waiting && since < 0) {
                arm();
            }
            ctx.fireChannelRead(msg);
        }

        private void arm() {
            since = System.nanoTime();
            body = false;
            if (timer == null) {
                schedule(limit());
            }
        }

        private long limit() {
            return (body ? server.settings().bodyTimeout() : server.settings().headerTimeout()).toNanos();
        }

        private void schedule(long nanos) {
            timer = timerCtx.executor().schedule(this::fired, nanos, TimeUnit.NANOSECONDS);
        }

        private void fired() {
            timer = null;
            if (since < 0) {
                return; // stopped meanwhile: the next start schedules again
            }
            long left = since + limit() - System.nanoTime();
            if (left > 0) {
                schedule(left);
            } else {
                since = -1;
                if (body) {
                    bodyTimeout();
                } else {
                    headTimeout();
                }
            }
        }

        /** The head is in: the body's clock starts (a bodiless request stops it at once, in {@link #requestDone}). */
        void headArrived() {
            waiting = false;
            since = System.nanoTime();
            body = true;
            if (timer == null) {
                schedule(limit());
            }
        }

        void requestDone(boolean buffered) {
            since = -1;
            body = false;
            waiting = true;
            if (buffered && since < 0) {
                arm();
            }
        }

        void off() {
            since = -1;
            waiting = false;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
