package pulsar.http.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import pulsar.Actor;
import pulsar.Settings;
import pulsar.app.SocketConnection;
import pulsar.app.SocketProtocol;
import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;

/**
 * The HTTP server of one worker: its routes, its settings, the cap on blocking calls, and the
 * {@link SocketProtocol} that sets up each connection's pipeline:
 * {@code http-timeout → http-decoder → http-encoder → http} (and {@code http-chunked} before {@code http},
 * added when a file is first sent over TLS).
 * The names are stable: a WebSocket upgrade replaces the codec and passes what it reads past
 * {@code http}, which lets everything through once the connection is upgraded.
 */
public final class HttpServer implements SocketProtocol {
    /** {@code Server} header value: {@code pulsar/<version>}. */
    static final io.netty.util.AsciiString SERVER = new io.netty.util.AsciiString("pulsar/" + version());
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Routes routes;
    private final Settings settings;
    private final Actor worker;
    private final Clock clock;
    private final Semaphore blocking;
    private final Executor virtualThreads;
    private long dateSecond = Long.MIN_VALUE; // on the loop
    private io.netty.util.AsciiString date;

    private HttpServer(Routes routes, Settings settings, Actor worker, Clock clock) {
        this.routes = routes;
        this.settings = settings;
        this.worker = worker;
        this.clock = clock;
        this.blocking = new Semaphore(settings.maxBlocking(), true);
        this.virtualThreads = task -> Thread.ofVirtual().name("http-blocking").start(task);
    }

    /**
     * The protocol that serves {@code routes} with {@code settings}' limits, for {@code worker}
     * (what {@link HttpRequest#worker()} returns; may be {@code null} outside an actor), reading
     * the time from {@code clock}.
     */
    public static HttpServer create(Routes routes, Settings settings, Actor worker, Clock clock) {
        return new HttpServer(routes, settings, worker, clock);
    }

    @Override
    public void initConnection(SocketConnection connection) {
        HttpConnection.init(this, connection);
    }

    @Override
    public boolean countsRequests() {
        return true;
    }

    Routes routes() {
        return routes;
    }

    Settings settings() {
        return settings;
    }

    Actor worker() {
        return worker;
    }

    Clock clock() {
        return clock;
    }

    /** The {@code Date} header for now, formatted once a second (on the loop). */
    io.netty.util.AsciiString date() {
        long now = clock.millis();
        long second = now / 1000;
        if (second != dateSecond) {
            dateSecond = second;
            date = new io.netty.util.AsciiString(HTTP_DATE.format(java.time.Instant.ofEpochMilli(now)));
        }
        return date;
    }

    /** Runs {@code handler} on a virtual thread once one of the {@code max_blocking} permits is free. */
    HttpResponse blocking(HttpHandler handler, HttpRequest request) {
        CompletableFuture<HttpResponse> result = new CompletableFuture<>();
        virtualThreads.execute(() -> {
            try {
                blocking.acquire();
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
                return;
            }
            try {
                result.complete(handler.handle(request));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                blocking.release();
            }
        });
        return HttpResponse.async(result);
    }

    private static String version() {
        try (InputStream in = HttpServer.class.getResourceAsStream("version.txt")) {
            String v = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return v.isEmpty() || v.startsWith("$") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
