package pulsar.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * What a handler answers: a status, headers and a body, built with the factories
 * ({@link #text}, {@link #json}, {@link #status}, ...) and refined with {@link #header}. A
 * response may also be {@linkplain #async later}: a stage of the real one, for handlers that
 * wait without blocking. The body is bytes, a {@linkplain #file file} (sent zero-copy) or a
 * {@linkplain #stream stream} of chunks. The server adds {@code Date}, {@code Server},
 * {@code Content-Length} (or chunked encoding) and {@code Connection} itself. A response is
 * built for one request: filters add headers to it.
 */
public final class HttpResponse {
    private final int status;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private final byte[] body;
    private final CompletionStage<HttpResponse> later;
    private Path file;
    private long fileOffset;
    private long fileLength;
    private Flow.Publisher<byte[]> stream;

    private HttpResponse(int status, byte[] body, CompletionStage<HttpResponse> later) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is not in 100..599");
        }
        this.status = status;
        this.body = body;
        this.later = later;
    }

    /**
     * {@code status} with {@code length} bytes of {@code file} from {@code offset} as its body, of
     * {@code contentType}: sent zero-copy ({@code sendfile}) without TLS, in chunks with TLS. The
     * file is opened when the response is written; {@link Router#files} serves directories with
     * this, adding {@code ETag}, {@code Last-Modified} and ranges.
     *
     * @throws IllegalArgumentException when {@code offset} or {@code length} is negative
     */
    public static HttpResponse file(int status, String contentType, Path file, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("file range " + offset + "+" + length + " of " + file + " is negative");
        }
        HttpResponse r = new HttpResponse(status, new byte[0], null).header("Content-Type", contentType);
        r.file = Objects.requireNonNull(file, "file");
        r.fileOffset = offset;
        r.fileLength = length;
        return r;
    }

    /**
     * 200 with a body of {@code contentType} streamed from {@code chunks}: each item is sent as it
     * comes, in chunked encoding (HTTP/1.0: until the connection closes). The server asks the
     * publisher for one more item only once the client has taken the previous ones (the
     * connection is writable), so a slow client slows the publisher instead of filling memory.
     * An error from the publisher cuts the response off (the connection is closed).
     */
    public static HttpResponse stream(String contentType, Flow.Publisher<byte[]> chunks) {
        HttpResponse r = new HttpResponse(200, new byte[0], null).header("Content-Type", contentType);
        r.stream = Objects.requireNonNull(chunks, "chunks");
        return r;
    }

    /** An empty response with {@code status}. */
    public static HttpResponse status(int status) {
        return new HttpResponse(status, new byte[0], null);
    }

    /** 200 with {@code text} as {@code text/plain; charset=UTF-8}. */
    public static HttpResponse text(String text) {
        return text(200, text);
    }

    /** {@code status} with {@code text} as {@code text/plain; charset=UTF-8}. */
    public static HttpResponse text(int status, String text) {
        return bytes(status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with {@code html} as {@code text/html; charset=UTF-8}. */
    public static HttpResponse html(String html) {
        return bytes(200, "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code status} with {@code body} of {@code contentType}. */
    public static HttpResponse bytes(int status, String contentType, byte[] body) {
        return new HttpResponse(status, body.clone(), null).header("Content-Type", contentType);
    }

    /** 200 with {@code value} written as JSON (Jackson), {@code application/json}. */
    public static HttpResponse json(Object value) {
        return json(200, value);
    }

    /** {@code status} with {@code value} written as JSON (Jackson), {@code application/json}. */
    public static HttpResponse json(int status, Object value) {
        return bytes(status, "application/json", pulsar.http.impl.Json.write(value));
    }

    /** The response {@code later} completes with; a failed stage answers 500 (or its {@link HttpException}'s status). */
    public static HttpResponse async(CompletionStage<HttpResponse> later) {
        return new HttpResponse(200, new byte[0], Objects.requireNonNull(later, "later"));
    }

    /** Adds header {@code name: value} (a second call with the same name adds a second value); returns this response. */
    public HttpResponse header(String name, String value) {
        if (later != null) {
            throw new IllegalStateException("an async response has no headers of its own: use then(r -> r.header(...))");
        }
        headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
        return this;
    }

    /**
     * This response changed by {@code change}: at once for a ready response, once it is ready for
     * an {@linkplain #async} one. For filters that decorate responses.
     */
    public HttpResponse then(Function<HttpResponse, HttpResponse> change) {
        return later == null ? change.apply(this) : async(later.thenApply(r -> r.then(change)));
    }

    /** The status (200 for an async response not yet ready). */
    public int status() {
        return status;
    }

    /** The headers added, in order. */
    public List<Map.Entry<String, String>> headers() {
        return Collections.unmodifiableList(headers);
    }

    /** The body's bytes (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The file of a {@linkplain #file file} response, else {@code null}. */
    public Path file() {
        return file;
    }

    /** Where the body starts in {@link #file()}. */
    public long fileOffset() {
        return fileOffset;
    }

    /** How many bytes of {@link #file()} the body is. */
    public long fileLength() {
        return fileLength;
    }

    /** The publisher of a {@linkplain #stream streamed} body, else {@code null}. */
    public Flow.Publisher<byte[]> stream() {
        return stream;
    }

    /** The stage of the real response when this one is {@linkplain #async}, else {@code null}. */
    public CompletionStage<HttpResponse> later() {
        return later;
    }
}
