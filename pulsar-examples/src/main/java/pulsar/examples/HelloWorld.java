package pulsar.examples;

import java.util.Map;
import pulsar.http.HttpResponse;
import pulsar.http.HttpServerApplication;
import pulsar.http.Router;

/**
 * The {@code helloworld} application: an HTTP server on 127.0.0.1:8070 (the {@code bind} setting
 * changes it) with the routes of the TechEmpower plaintext and JSON tests.
 * <pre>
 * ./pulsar run helloworld --workers 4
 * curl http://127.0.0.1:8070/            # Hello World!
 * curl http://127.0.0.1:8070/plaintext   # Hello, World!
 * curl http://127.0.0.1:8070/json        # {"message":"Hello, World!"}
 * </pre>
 */
public final class HelloWorld extends HttpServerApplication {
    private static final long serialVersionUID = 1L;

    /** The application named {@code helloworld}, listening on 127.0.0.1:8070 by default. */
    public HelloWorld() {
        super("helloworld", "127.0.0.1:8070");
    }

    @Override
    protected void routes(Router router) {
        router.get("/", request -> HttpResponse.text("Hello World!"));
        router.get("/plaintext", request -> HttpResponse.text("Hello, World!"));
        router.get("/json", request -> HttpResponse.json(Map.of("message", "Hello, World!")));
    }
}
