package pulsar.http.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
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
import io.netty.handler.stream.ChunkedWriteHandler;
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
        HttpHeaders headers = headers(response, version, close);
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
            DefaultFullHttpResponse full = full(request, response, version, status, headers, head, bodiless);
            long bytes = full.content().readableBytes(); // before the write, which releases it
            complete(ctx.writeAndFlush(full), done, bytes);
        }
        return done;
    }

    /** Whether {@code response} is bytes in memory, which {@link #writeNow} writes at once. */
    static boolean inMemory(HttpResponse response) {
        return response.file() == null && response.stream() == null;
    }

    /**
     * Writes an {@linkplain #inMemory in-memory} {@code response} to {@code request}, keeping the
     * connection open, without flushing: the caller flushes (once per read batch). A failed write
     * closes the connection.
     *
     * @return the body bytes written
     */
    long writeNow(ChannelHandlerContext ctx, HttpRequest request, HttpResponse response) {
        HttpVersion version = request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        boolean head = request.method().name().equals("HEAD");
        int code = response.status();
        boolean bodiless = code < 200 || code == 204 || code == 304;
        HttpHeaders headers = headers(response, version, false);
        DefaultFullHttpResponse full = full(request, response, version, HttpResponseStatus.valueOf(code), headers, head, bodiless);
        long bytes = full.content().readableBytes();
        ctx.write(full).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return bytes;
    }

    private DefaultFullHttpResponse full(HttpRequest request, HttpResponse response, HttpVersion version, HttpResponseStatus status,
            HttpHeaders headers, boolean head, boolean bodiless) {
        byte[] body = bodiless ? EMPTY : response.body();
        if (server.settings().compress() && !head && !bodiless) {
            body = Compression.compress(request, headers, status.code(), body);
        }
        if (!bodiless) {
            headers.set(Names.CONTENT_LENGTH, Names.length(body.length));
        }
        return new DefaultFullHttpResponse(version, status,
                head || body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, DefaultHttpHeaders.EMPTY_HEADERS);
    }

    private static final byte[] EMPTY = new byte[0];

    /** Headers the server sets itself are not validated; a handler's are (no CR/LF injection, names are tokens). */
    private static final DefaultHttpHeadersFactory UNVALIDATED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** The response's head: the handler's headers (validated), then the server's ({@code Date}, {@code Server}, {@code Connection}). */
    private HttpHeaders headers(HttpResponse response, HttpVersion version, boolean close) {
        HttpHeaders headers = UNVALIDATED.newHeaders();
        boolean date = false;
        boolean serverSet = false;
        for (Map.Entry<String, String> h : response.headers()) {
            String name = h.getKey();
            CharSequence n = Names.known(name);
            if (n == null) {
                if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                        || name.equalsIgnoreCase("Connection")) {
                    continue;
                }
                validateName(name);
                n = name;
                date |= name.equalsIgnoreCase("Date");
                serverSet |= name.equalsIgnoreCase("Server");
            }
            String value = h.getValue();
            CharSequence v = Names.known(value);
            if (v == null) {
                validateValue(value);
                v = value;
            }
            headers.add(n, v);
        }
        if (!date) {
            headers.set(Names.DATE, server.date());
        }
        if (!serverSet) {
            headers.set(Names.SERVER, HttpServer.SERVER);
        }
        if (close) {
            headers.set(Names.CONNECTION, Names.CLOSE);
        } else if (version == HttpVersion.HTTP_1_0) {
            headers.set(Names.CONNECTION, Names.KEEP_ALIVE);
        }
        return headers;
    }

    /** As Netty's validating headers check a name. */
    private static void validateName(CharSequence name) {
        if (name.length() == 0) {
            throw new IllegalArgumentException("empty headers are not allowed [" + name + "]");
        }
        int index = HttpHeaderValidationUtil.validateToken(name);
        if (index != -1) {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found invalid character 0x"
                    + Integer.toHexString(name.charAt(index)) + " at index " + index + " of header '" + name + "'.");
        }
    }

    /** As Netty's validating headers check a value: no CR, LF or other prohibited character. */
    private static void validateValue(CharSequence value) {
        int index = HttpHeaderValidationUtil.validateValidHeaderValue(value);
        if (index != -1) {
            throw new IllegalArgumentException("a header value contains prohibited character 0x"
                    + Integer.toHexString(value.charAt(index)) + " at index " + index + '.');
        }
    }

    private void writeFile(ChannelHandlerContext ctx, HttpVersion version, HttpResponseStatus status, HttpHeaders headers,
            HttpResponse response, boolean head, CompletableFuture<Long> done) {
        long length = response.fileLength();
        headers.set(Names.CONTENT_LENGTH, Names.length(length));
        FileChannel file = null;
        if (!head && length > 0) {
            try {
                file = FileChannel.open(response.file(), StandardOpenOption.READ);
            } catch (IOException e) {
                LOG.debug("cannot open {}: {}", response.file(), e.toString());
                byte[] body = "Not Found".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                headers.set(Names.CONTENT_LENGTH, Names.length(body.length)).set(Names.CONTENT_TYPE, Names.known("text/plain"));
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
            if (ctx.pipeline().get("http-chunked") == null) { // only files over TLS need it: added the first time
                ctx.pipeline().addBefore(ctx.name(), "http-chunked", new ChunkedWriteHandler());
            }
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
