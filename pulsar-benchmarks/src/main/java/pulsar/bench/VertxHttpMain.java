package pulsar.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

/**
 * Reference of benchmark 10: Vert.x 5 with vertx-web's router, as TechEmpower's vertx-web entry
 * writes it: LOOPS event loops (native transport when available), one verticle instance per loop
 * sharing the port, the Date header refreshed once a second by each verticle. Args: PORT LOOPS.
 * Exits when standard input closes.
 */
public final class VertxHttpMain {
    private static final CharSequence SERVER = HttpHeaders.createOptimized(HttpRefs.SERVER);
    private static final CharSequence TEXT = HttpHeaders.createOptimized(HttpRefs.TEXT);
    private static final CharSequence JSON = HttpHeaders.createOptimized(HttpRefs.JSON);
    private static final Buffer HELLO = Buffer.buffer(HttpRefs.HELLO);

    private VertxHttpMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int loops = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        System.err.println("vert.x native transport: " + vertx.isNativeTransportEnabled());
        vertx.deployVerticle(() -> new Hello(port), new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().get();
        HttpRefs.readyThenAwaitStdinEof(port);
        vertx.close().toCompletionStage().toCompletableFuture().get();
        System.exit(0);
    }

    static final class Hello extends VerticleBase {
        private final int port;
        private CharSequence date = HttpHeaders.createOptimized(HttpRefs.date());

        Hello(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            vertx.setPeriodic(1000, id -> date = HttpHeaders.createOptimized(HttpRefs.date()));
            Router router = Router.router(vertx);
            router.get("/plaintext").handler(ctx -> headers(ctx.response(), TEXT).end(HELLO));
            router.get("/json").handler(ctx -> headers(ctx.response(), JSON).end(Buffer.buffer(HttpRefs.json())));
            return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
        }

        /** Content-Length is set by end(Buffer). */
        private HttpServerResponse headers(HttpServerResponse r, CharSequence type) {
            return r.putHeader(HttpHeaders.CONTENT_TYPE, type).putHeader(HttpHeaders.SERVER, SERVER).putHeader(HttpHeaders.DATE, date);
        }
    }
}
