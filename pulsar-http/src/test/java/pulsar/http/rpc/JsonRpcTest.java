package pulsar.http.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Actor;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;
import pulsar.http.impl.Json;

/** The JSON-RPC 2.0 endpoint, called as the router calls it: the spec's examples and pulsar's error cases. */
@Timeout(10)
class JsonRpcTest {
    private final CompletableFuture<String> later = new CompletableFuture<>();
    private final JsonRpc rpc = new JsonRpc()
            .method("subtract", "Subtract subtrahend from minuend", List.of("minuend", "subtrahend"),
                    p -> p.number("minuend") - p.number("subtrahend"))
            .method("echo", "Echo the message", List.of("message?"), p -> p.has("message") ? p.text("message") : "")
            .method("any", "Count what it gets", p -> p.size())
            .method("later", "Answers when the test says", List.of(), p -> later)
            .method("boom", "Fails", List.of(), p -> {
                throw new IllegalStateException("on purpose");
            })
            .method("dodgy", "Returns what JSON cannot hold", List.of(), p -> new Object())
            .method("refuse", "Throws an application error", List.of(), p -> {
                throw new RpcException(42, "No way", Map.of("why", "because"));
            })
            .namespace("calc", new JsonRpc()
                    .method("add", "Add two numbers", List.of("a", "b"), p -> p.number("a") + p.number("b"))
                    .namespace("deep", new JsonRpc().method("one", "One", List.of(), p -> 1)));

    private HttpResponse post(String body) throws Exception {
        HttpResponse r = rpc.handle(request("POST", body));
        return r.later() == null ? r : r.later().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private JsonNode json(String body) throws Exception {
        HttpResponse r = post(body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).contains(Map.entry("Content-Type", "application/json"));
        return Json.mapper().readTree(r.body());
    }

    private JsonNode error(String body, int code) throws Exception {
        JsonNode answer = json(body);
        assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(answer.has("result")).isFalse();
        assertThat(answer.at("/error/code").asInt()).isEqualTo(code);
        assertThat(answer.at("/error/message").asText()).isEqualTo(RpcException.standardMessage(code));
        return answer;
    }

    @Test
    void positionalAndNamedParams_giveTheSameResult() throws Exception {
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}").toString())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":19.0,\"id\":1}");
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"subtrahend\":23,\"minuend\":42},\"id\":\"a\"}").toString())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":19.0,\"id\":\"a\"}");
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":null}").toString())
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"\",\"id\":null}");
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"any\",\"params\":[1,2,3],\"id\":2}").get("result").asInt()).isEqualTo(3);
    }

    @Test
    void namespaces_areReachedByDottedNames() throws Exception {
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":[3,7],\"id\":1}").get("result").asDouble()).isEqualTo(10);
        assertThat(json("{\"jsonrpc\":\"2.0\",\"method\":\"calc.deep.one\",\"id\":1}").get("result").asInt()).isEqualTo(1);
        error("{\"jsonrpc\":\"2.0\",\"method\":\"calc\",\"id\":1}", -32601);
        error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.nope\",\"id\":1}", -32601);
        error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.functions_list\",\"id\":1}", -32601);
    }

    @Test
    void parseError_isAnsweredWithNullId() throws Exception {
        JsonNode answer = error("{\"jsonrpc\":\"2.0\",\"method\":\"foobar,\"params\":\"bar\",\"baz]", -32700);
        assertThat(answer.get("id").isNull()).isTrue();
        assertThat(answer.at("/error/data").asText()).isNotEmpty();
        error("", -32700);
    }

    @Test
    void invalidRequests_areAnsweredMinus32600() throws Exception {
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}", -32600).get("id").isNull()).isTrue();
        assertThat(error("{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"id\":7}", -32600).get("id").asInt()).isEqualTo(7);
        error("{\"method\":\"echo\",\"id\":7}", -32600);
        error("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":\"bar\",\"id\":7}", -32600);
        error("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":{}}", -32600);
        error("1", -32600);
        assertThat(error("[]", -32600).at("/error/data").asText()).isEqualTo("the batch is empty");
    }

    @Test
    void unknownMethod_isMinus32601() throws Exception {
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"foo\",\"params\":[\"ciao\"],\"id\":\"1\"}", -32601)
                .at("/error/data").asText()).isEqualTo("no method 'foo'");
    }

    @Test
    void paramsThatDoNotFit_areMinus32602() throws Exception {
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":[50,25,67],\"id\":1}", -32602)
                .at("/error/data").asText()).isEqualTo("calc.add takes a, b; 3 given");
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":[50],\"id\":1}", -32602)
                .at("/error/data").asText()).isEqualTo("calc.add takes a, b; missing param 'b'");
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":{\"a\":1,\"c\":2},\"id\":1}", -32602)
                .at("/error/data").asText()).isEqualTo("calc.add takes a, b; unknown param 'c'");
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":[\"ciao\",\"bo\"],\"id\":1}", -32602)
                .at("/error/data").asText()).isEqualTo("param 'a' must be a number, not \"ciao\"");
        error("{\"jsonrpc\":\"2.0\",\"method\":\"functions_list\",\"params\":[1],\"id\":1}", -32602);
    }

    @Test
    void failures_areMinus32603WithData_andApplicationErrorsKeepTheirCode() throws Exception {
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"boom\",\"id\":1}", -32603).at("/error/data").asText())
                .isEqualTo("java.lang.IllegalStateException: on purpose");
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"dodgy\",\"id\":1}", -32603).at("/error/data").asText())
                .startsWith("the result is not JSON");
        JsonNode refused = json("{\"jsonrpc\":\"2.0\",\"method\":\"refuse\",\"id\":1}");
        assertThat(refused.get("error").toString()).isEqualTo("{\"code\":42,\"message\":\"No way\",\"data\":{\"why\":\"because\"}}");
    }

    @Test
    void asyncResults_answerWhenTheyComplete() throws Exception {
        HttpResponse r = rpc.handle(request("POST", "{\"jsonrpc\":\"2.0\",\"method\":\"later\",\"id\":9}"));
        assertThat(r.later()).isNotNull();
        assertThat(r.later().toCompletableFuture()).isNotDone();
        later.complete("now");
        HttpResponse done = r.later().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(new String(done.body(), StandardCharsets.UTF_8)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"now\",\"id\":9}");
    }

    @Test
    void asyncFailure_isAnError() throws Exception {
        later.completeExceptionally(new RpcException(-32000, "Server error", "gone"));
        assertThat(error("{\"jsonrpc\":\"2.0\",\"method\":\"later\",\"id\":9}", -32000).at("/error/data").asText()).isEqualTo("gone");
    }

    @Test
    void batch_isAnsweredInOrder_withoutItsNotifications() throws Exception {
        JsonNode answer = json("""
                [{"jsonrpc":"2.0","method":"calc.add","params":[1,2],"id":"1"},
                 {"jsonrpc":"2.0","method":"echo","params":["x"]},
                 {"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":"2"},
                 {"foo":"boo"},
                 {"jsonrpc":"2.0","method":"foo.get","params":{"name":"myself"},"id":"5"},
                 1]""");
        assertThat(answer.isArray()).isTrue();
        assertThat(answer).hasSize(5);
        assertThat(answer.get(0).get("result").asDouble()).isEqualTo(3);
        assertThat(answer.get(1).get("result").asDouble()).isEqualTo(19);
        assertThat(answer.get(2).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(answer.get(3).at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(answer.get(3).get("id").asText()).isEqualTo("5");
        assertThat(answer.get(4).at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void notifications_getNoAnswer_even204ForABatchOfThem() throws Exception {
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"x\"]}").status()).isEqualTo(204);
        assertThat(post("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}").status()).isEqualTo(204);
        HttpResponse batch = post("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"x\"]},{\"jsonrpc\":\"2.0\",\"method\":\"boom\"}]");
        assertThat(batch.status()).isEqualTo(204);
        assertThat(batch.body()).isEmpty();
    }

    @Test
    void functionsList_namesEveryMethodWithItsDocAndParams() throws Exception {
        JsonNode list = json("{\"jsonrpc\":\"2.0\",\"method\":\"functions_list\",\"id\":1}").get("result");
        assertThat(list.findValuesAsText("name")).containsExactly("any", "boom", "calc.add", "calc.deep.one", "dodgy",
                "echo", "functions_list", "later", "refuse", "subtract");
        assertThat(list.get(2).toString()).isEqualTo("{\"name\":\"calc.add\",\"doc\":\"Add two numbers\",\"params\":[\"a\",\"b\"]}");
        assertThat(list.get(0).get("params").isNull()).isTrue();
    }

    @Test
    void otherHttpMethods_get405() throws Exception {
        HttpResponse r = rpc.handle(request("GET", ""));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).contains(Map.entry("Allow", "POST"));
    }

    @Test
    void badNames_areRefusedWhenAdded() {
        assertThatThrownBy(() -> rpc.method("subtract", "again", p -> 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken");
        assertThatThrownBy(() -> rpc.method("a.b", "dotted", p -> 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a.b");
        assertThatThrownBy(() -> rpc.namespace("rpc", new JsonRpc())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> rpc.method("x", "", List.of("a", "a?"), p -> 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    static HttpRequest request(String method, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest() {
            public String method() { return method; }
            public String uri() { return "/"; }
            public String path() { return "/"; }
            public String protocol() { return "HTTP/1.1"; }
            public String header(String name) { return null; }
            public List<String> headers(String name) { return List.of(); }
            public Map<String, List<String>> headers() { return Map.of(); }
            public String pathParam(String name) { return null; }
            public String query(String name) { return null; }
            public Map<String, List<String>> queryParams() { return Map.of(); }
            public String form(String name) { return null; }
            public byte[] body() { return bytes.clone(); }
            public String bodyText() { return body; }
            public <T> T json(Class<T> type) { throw new UnsupportedOperationException(); }
            public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 1); }
            public Actor worker() { return null; }
            public Object attribute(String name) { return null; }
            public void attribute(String name, Object value) { }
        };
    }
}
