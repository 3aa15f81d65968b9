package pulsar.examples;

import java.util.List;
import pulsar.http.HttpServerApplication;
import pulsar.http.Router;
import pulsar.http.rpc.JsonRpc;
import pulsar.http.rpc.RpcException;

/**
 * A JSON-RPC 2.0 server, after pulsar's calculator example: {@code POST /} serves {@code ping},
 * {@code echo}, {@code functions_list} and the {@code calc} namespace ({@code add},
 * {@code subtract}, {@code multiply}, {@code divide}). Listens on 127.0.0.1:8071 unless
 * {@code bind} says otherwise. Run it with {@code ./pulsar run calculator}, then:
 * <pre>
 * curl -s localhost:8071 -d '{"jsonrpc":"2.0","method":"calc.add","params":[3,7],"id":1}'
 * {"jsonrpc":"2.0","result":10.0,"id":1}
 * </pre>
 */
public final class Calculator extends HttpServerApplication {
    private static final long serialVersionUID = 1L;

    /** The calculator, named {@code calculator}. */
    public Calculator() {
        super("calculator", "127.0.0.1:8071");
    }

    @Override
    protected void routes(Router router) {
        router.post("/", rpc());
    }

    /** The JSON-RPC endpoint: the server's methods and the {@code calc} namespace. */
    public static JsonRpc rpc() {
        JsonRpc calc = new JsonRpc()
                .method("add", "Add two numbers", List.of("a", "b"), p -> p.number("a") + p.number("b"))
                .method("subtract", "Subtract b from a", List.of("a", "b"), p -> p.number("a") - p.number("b"))
                .method("multiply", "Multiply two numbers", List.of("a", "b"), p -> p.number("a") * p.number("b"))
                .method("divide", "Divide a by b", List.of("a", "b"), p -> {
                    double b = p.number("b");
                    if (b == 0) {
                        throw RpcException.invalidParams("division by zero");
                    }
                    return p.number("a") / b;
                });
        return new JsonRpc()
                .method("ping", "Ping the server", List.of(), p -> "pong")
                .method("echo", "Echo the message (empty when none)", List.of("message?"),
                        p -> p.has("message") ? p.get("message") : "")
                .namespace("calc", calc);
    }
}
