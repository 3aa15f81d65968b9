package pulsar.http.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.http.HttpResponse;

/**
 * Writes one response at a time on a connection: its head with the server's headers
 * ({@code Date}, {@code Server}, {@code Content-Length} or chunked, {@code Connection}), then its
 * body: bytes (compressed when {@code compress} is on), a file region (zero-copy; chunks under
 * TLS), or a stream whose publisher is asked for more only while the connection is writable.
 * {@code HEAD} gets the head alone. On the loop.
 */
final class ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

    private final HttpServer server;
    private StreamBody stream; // the stream being written, if any

    ResponseWriter(HttpServer server) {
        this.server = server;
    }

    /**
     * Writes {@code response} to {@code request}, with {@code Connection: close} when {@code close}.
     *
     * @return completes with the body bytes written once the whole response is written, or
     *     fails when it could not be
     */
    CompletableFuture<Long> write(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean close) {
        HttpVersion version = request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        boolean head = request.method().name().equals("HEAD");
        int code = response.status();
        boolean bodiless = code < 200 || code == 204 || code == 304;
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : response.headers()) {
            String name = h.getKey();
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")
                    && !name.equalsIgnoreCase("Connection")) {
                headers.add(name, h.getValue());
            }
        }
        if (!headers.contains(Names.DATE)) {
            headers.set(Names.DATE, server.date());
        }
        if (!headers.contains(Names.SERVER)) {
            headers.set(Names.SERVER, HttpServer.SERVER);
        }
        if (close) {
            headers.set(Names.CONNECTION, Names.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            headers.set(Names.CONNECTION, Names.KEEP_ALIVE);
        }
        HttpResponseStatus status = HttpResponseStatus.valueOf(code);
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (response.file() != null && !bodiless) {
            writeFile(ctx, version, status, headers, response, head, done);
        } else if (response.stream() != null && !bodiless) {
            if (version == HttpVersion.HTTP_1_1) {
                headers.set(Names.TRANSFER_ENCODING, Names.CHUNKED);
            } else if (!close) {
                throw new IllegalStateException("an HTTP/1.0 stream must close the connection"); // see HttpConnection
            }
            ctx.writeAndFlush(new DefaultHttpResponse(version, status, headers));
            if (head) {
                complete(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), done, 0);
            } else {
                stream = new StreamBody(ctx, done);
                response.stream().subscribe(stream);
            }
        } else {
            byte[] body = bodiless ? new byte[0] : response.body();
            if (server.settings().compress() && !head && !bodiless) {
                body = Compression.compress(request, headers, code, body);
            }
            if (!bodiless) {
                headers.set(Names.CONTENT_LENGTH, body.length);
            }
            DefaultFullHttpResponse full = new DefaultFullHttpResponse(version, status,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, DefaultHttpHeaders.EMPTY_HEADERS);
            complete(ctx.writeAndFlush(full), done, head ? 0 : body.length);
        }
        return done;
    }

    private void writeFile(ChannelHandlerContext ctx, HttpVersion version, HttpResponseStatus status, HttpHeaders headers,
            HttpResponse response, boolean head, CompletableFuture<Long> done) {
        long length = response.fileLength();
        headers.set(Names.CONTENT_LENGTH, length);
        FileChannel file = null;
        if (!head && length > 0) {
            try {
                file = FileChannel.open(response.file(), StandardOpenOption.READ);
            } catch (IOException e) {
                LOG.debug("cannot open {}: {}", response.file(), e.toString());
                byte[] body = "Not Found".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                headers.set(Names.CONTENT_LENGTH, body.length).set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                headers.remove(HttpHeaderNames.ETAG).remove(HttpHeaderNames.LAST_MODIFIED).remove(HttpHeaderNames.CONTENT_RANGE);
                complete(ctx.writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.NOT_FOUND,
                        Unpooled.wrappedBuffer(body), headers, DefaultHttpHeaders.EMPTY_HEADERS)), done, body.length);
                return;
            }
        }
        ctx.write(new DefaultHttpResponse(version, status, headers));
        if (file == null) {
            complete(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), done, 0);
        } else if (ctx.pipeline().get(SslHandler.class) == null) {
            ctx.write(new DefaultFileRegion(file, response.fileOffset(), length));
            complete(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), done, length);
        } else {
            try {
                complete(ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(file, response.fileOffset(), length, 16 * 1024))),
                        done, length);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private static void complete(ChannelFuture write, CompletableFuture<Long> done, long bytes) {
        write.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(bytes);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
    }

    /** The connection became writable again: a paused stream asks for more. */
    void writable() {
        if (stream != null) {
            stream.more();
        }
    }

    /** The connection closed: a stream being written is cancelled. */
    void closed() {
        if (stream != null) {
            stream.cancel();
        }
    }

    /** Writes a publisher's items as chunks, one request at a time while the channel is writable. */
    private final class StreamBody implements Flow.Subscriber<byte[]> {
        private final ChannelHandlerContext ctx;
        private final CompletableFuture<Long> done;
        private Flow.Subscription subscription;
        private boolean paused;
        private boolean over;
        private long bytes;

        StreamBody(ChannelHandlerContext ctx, CompletableFuture<Long> done) {
            this.ctx = ctx;
            this.done = done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            ctx.executor().execute(() -> {
                subscription = s;
                if (over) {
                    s.cancel();
                } else {
                    s.request(1);
                }
            });
        }

        @Override
        public void onNext(byte[] item) {
            ctx.executor().execute(() -> {
                if (over) {
                    return;
                }
                if (item.length > 0) {
                    bytes += item.length;
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(item)));
                }
                if (ctx.channel().isWritable()) {
                    subscription.request(1);
                } else {
                    paused = true;
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            ctx.executor().execute(() -> {
                if (!over) {
                    over = true;
                    stream = null;
                    LOG.warn("{}: the response stream failed, closing: {}", ctx.channel(), t.toString());
                    done.completeExceptionally(t);
                }
            });
        }

        @Override
        public void onComplete() {
            ctx.executor().execute(() -> {
                if (!over) {
                    over = true;
                    stream = null;
                    complete(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), done, bytes);
                }
            });
        }

        void more() {
            if (paused && !over && subscription != null) {
                paused = false;
                subscription.request(1);
            }
        }

        void cancel() {
            if (!over) {
                over = true;
                stream = null;
                if (subscription != null) {
                    subscription.cancel();
                }
                done.completeExceptionally(new java.nio.channels.ClosedChannelException());
            }
        }
    }
}
