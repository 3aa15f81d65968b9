package pulsar.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import pulsar.Pulsar;
import pulsar.app.Monitor;

/** The application the HTTP tests run: one route per behaviour under test, with thread workers. */
public final class TestApp extends HttpServerApplication {
    private static final long serialVersionUID = 1L;
    /** Blocking calls running now, and the most seen at once. */
    static final AtomicInteger BLOCKING_NOW = new AtomicInteger();
    static final AtomicInteger BLOCKING_MAX = new AtomicInteger();
    /** Items the /stream publisher has produced. */
    static final AtomicLong STREAMED = new AtomicLong();

    private final String files;

    /** Serves {@code files} (a directory, may be empty) at /static. */
    public TestApp(String files) {
        super("httptest", "127.0.0.1:8070");
        this.files = files;
    }

    public TestApp() {
        this("");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts this application on {@code port} with {@code settings} (name, value, ...), one thread worker unless they say otherwise. */
    Monitor start(int port, Object... settings) throws Exception {
        setting("bind", "127.0.0.1:" + port).setting("concurrency", "thread");
        for (int i = 0; i < settings.length; i += 2) {
            setting((String) settings[i], settings[i + 1]);
        }
        return Pulsar.arbiter().add(this).get(60, TimeUnit.SECONDS);
    }

    @Override
    protected void routes(Router router) {
        router.filter((request, next) -> next.handle(request).then(r -> r.header("X-Filter", "outer")));
        router.filter((request, next) -> request.path().equals("/private") && request.header("X-Key") == null
                ? HttpResponse.text(401, "no key") : next.handle(request));
        router.cors("https://ok.example");
        router.get("/", request -> HttpResponse.text("root"));
        router.get("/private", request -> HttpResponse.text("secret"));
        router.get("/users/{id}", request -> HttpResponse.text("user " + request.pathParam("id")));
        router.get("/users/{id}/posts/{post}", request -> HttpResponse.text(request.pathParam("id") + "/" + request.pathParam("post")));
        router.get("/rest/{tail...}", request -> HttpResponse.text("tail=" + request.pathParam("tail")));
        router.post("/users", request -> HttpResponse.text(201, "created"));
        router.post("/echo", request -> HttpResponse.bytes(200,
                request.header("Content-Type") == null ? "application/octet-stream" : request.header("Content-Type"), request.body()));
        router.get("/slow", request -> {
            long ms = Long.parseLong(request.query("ms"));
            CompletableFuture<HttpResponse> later = new CompletableFuture<>();
            request.worker().loop().callLater(Duration.ofMillis(ms), () -> later.complete(HttpResponse.text("slow " + ms)));
            return HttpResponse.async(later);
        });
        router.get("/fast", request -> HttpResponse.text("fast"));
        router.get("/boom", request -> {
            throw new IllegalStateException("secret detail");
        });
        router.get("/teapot", request -> {
            throw new HttpException(418, "short and stout");
        });
        router.get("/async-boom", request -> HttpResponse.async(CompletableFuture.failedFuture(new HttpException(409, "conflict"))));
        router.get("/blocking", request -> {
            int now = BLOCKING_NOW.incrementAndGet();
            BLOCKING_MAX.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(Long.parseLong(request.query("ms")));
            } finally {
                BLOCKING_NOW.decrementAndGet();
            }
            return HttpResponse.text("virtual=" + Thread.currentThread().isVirtual());
        }).blocking();
        router.post("/json", request -> HttpResponse.json(Map.of("got", request.json(Map.class))));
        router.get("/json", request -> HttpResponse.json(Map.of("message", "hi")));
        router.get("/query", request -> HttpResponse.text(request.query("a") + " " + request.queryParams().get("b")));
        router.post("/form", request -> HttpResponse.text("name=" + request.form("name")));
        router.get("/big", request -> HttpResponse.text("x".repeat(5000)));
        router.get("/stream", request -> HttpResponse.stream("text/plain",
                new Counting(Long.parseLong(request.query("n")), Integer.parseInt(request.query("size")))));
        router.route("*", "/any", request -> HttpResponse.text("any " + request.method()));
        router.websocket("/ws", new WebSocketHandler() { });
        if (!files.isEmpty()) {
            router.files("/static", Path.of(files));
        }
    }

    /** Publishes {@code n} items of {@code size} bytes, each only when asked for, counting them in {@link #STREAMED}. */
    record Counting(long n, int size) implements Flow.Publisher<byte[]> {
        @Override
        public void subscribe(Flow.Subscriber<? super byte[]> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private long sent;
                private boolean done;

                @Override
                public synchronized void request(long k) {
                    for (long i = 0; i < k && sent < n && !done; i++) {
                        sent++;
                        STREAMED.incrementAndGet();
                        byte[] item = new byte[size];
                        java.util.Arrays.fill(item, (byte) ('a' + (sent % 26)));
                        subscriber.onNext(item);
                    }
                    if (sent == n && !done) {
                        done = true;
                        subscriber.onComplete();
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
