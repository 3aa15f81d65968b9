package pulsar.http;

import java.time.Clock;
import pulsar.Pulsar;
import pulsar.app.SocketProtocol;
import pulsar.app.SocketServerApplication;
import pulsar.http.impl.HttpServer;
import pulsar.http.impl.Routes;

/**
 * An HTTP/1.1 server application: each worker serves the routes that {@link #routes} adds, on
 * the addresses of the {@code bind} setting, with every setting of a socket server (workers,
 * TLS, keep-alive, graceful stop, max_requests counted in HTTP requests) plus the HTTP limits
 * ({@code max_request_line}, {@code max_header_size}, {@code max_headers}, {@code max_body_size},
 * {@code header_timeout}, {@code max_frame_size}).
 * <pre>{@code
 * public final class Hello extends HttpServerApplication {
 *     public Hello() { super("hello", "127.0.0.1:8070"); }
 *     protected void routes(Router router) {
 *         router.get("/", request -> HttpResponse.text("Hello World!"));
 *     }
 * }
 * }</pre>
 * The application object travels to every worker; {@link #routes} runs in each, so handlers need
 * not be serializable.
 */
public abstract class HttpServerApplication extends SocketServerApplication {
    private static final long serialVersionUID = 1L;

    /** An HTTP application named {@code name}, listening on {@code defaultBind} unless {@code bind} says otherwise. */
    protected HttpServerApplication(String name, String defaultBind) {
        super(name, defaultBind);
    }

    /** Adds the application's routes and filters; called once in each worker, before it serves. */
    protected abstract void routes(Router router) throws Exception;

    /**
     * The HTTP protocol, with the routes {@link #routes} adds and the limits of the application's
     * settings; called in each worker, on its loop.
     *
     * @throws IllegalStateException when {@link #routes} fails (the worker then fails to start)
     */
    @Override
    protected final SocketProtocol protocol() {
        Routes router = new Routes();
        try {
            routes(router);
        } catch (Exception e) {
            throw new IllegalStateException("application " + name() + ": routes failed: " + e, e);
        }
        return HttpServer.create(router, settings(), Pulsar.getActor(), Clock.systemUTC());
    }
}
