package pulsar.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Ports;

/** The calculator over real HTTP, with java.net.http's client: pulsar's calculator tests and the spec's error cases. */
@Timeout(60)
class CalculatorTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static URI uri;
    private static Monitor calculator;

    @BeforeAll
    static void start() throws Exception {
        int port = Ports.free();
        uri = URI.create("http://127.0.0.1:" + port + "/");
        calculator = Pulsar.arbiter().add(new Calculator().setting("bind", "127.0.0.1:" + port)
                .setting("concurrency", "thread").setting("workers", 2)).get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        calculator.stop().get(60, TimeUnit.SECONDS);
        HTTP.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode answer(String body) throws Exception {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private static JsonNode call(String method, String params) throws Exception {
        return answer("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + ",\"id\":1}");
    }

    private static JsonNode error(JsonNode answer, int code) {
        assertThat(answer.get("result")).isNull();
        assertThat(answer.at("/error/code").asInt()).as(answer.toString()).isEqualTo(code);
        return answer.get("error");
    }

    @Test
    void serverMethods_pingEchoAndFunctionsList() throws Exception {
        assertThat(call("ping", "[]").get("result").asText()).isEqualTo("pong");
        assertThat(call("echo", "[\"hello\"]").get("result").asText()).isEqualTo("hello");
        assertThat(call("echo", "{\"message\":{\"a\":[1,2]}}").get("result").toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(call("echo", "[]").get("result").asText()).isEmpty();
        assertThat(call("functions_list", "[]").get("result").findValuesAsText("name")).containsExactly(
                "calc.add", "calc.divide", "calc.multiply", "calc.subtract", "echo", "functions_list", "ping");
    }

    @Test
    void calc_addsSubtractsMultipliesDivides_positionalOrNamed() throws Exception {
        assertThat(call("calc.add", "[3,7]").get("result").asDouble()).isEqualTo(10);
        assertThat(call("calc.subtract", "[546,46]").get("result").asDouble()).isEqualTo(500);
        assertThat(call("calc.multiply", "{\"a\":3,\"b\":9}").get("result").asDouble()).isEqualTo(27);
        assertThat(call("calc.divide", "{\"b\":25,\"a\":50}").get("result").asDouble()).isEqualTo(2);
        assertThat(call("calc.divide", "[1,4]").get("id").asInt()).isEqualTo(1);
    }

    @Test
    void divisionByZero_isAJsonRpcError_notA500() throws Exception {
        JsonNode e = error(call("calc.divide", "[1,0]"), -32602);
        assertThat(e.get("message").asText()).isEqualTo("Invalid params");
        assertThat(e.get("data").asText()).isEqualTo("division by zero");
    }

    @Test
    void pulsarsErrorCases_invalidParamsAndNoSuchFunction() throws Exception {
        assertThat(error(call("calc.add", "[50,25,67]"), -32602).get("data").asText()).isEqualTo("calc.add takes a, b; 3 given");
        assertThat(error(call("calc.divide", "[50,25,67]"), -32602).get("data").asText()).contains("3 given");
        assertThat(error(call("calc.divide", "[\"ciao\",\"bo\"]"), -32602).get("data").asText()).contains("must be a number");
        assertThat(error(call("foo", "[\"ciao\"]"), -32601).get("message").asText()).isEqualTo("Method not found");
    }

    @Test
    void malformedRequests_parseErrorAndInvalidRequest() throws Exception {
        JsonNode parse = answer("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",");
        assertThat(error(parse, -32700).get("message").asText()).isEqualTo("Parse error");
        assertThat(parse.get("id").isNull()).isTrue();
        error(answer("{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}"), -32600);
        error(answer("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":\"bar\",\"id\":1}"), -32600);
        assertThat(error(answer("[]"), -32600).get("data").asText()).isEqualTo("the batch is empty");
        JsonNode ones = answer("[1,2,3]");
        assertThat(ones).hasSize(3);
        ones.forEach(a -> error(a, -32600));
    }

    @Test
    void batch_answersEachCallInOrder_butNotItsNotifications() throws Exception {
        JsonNode batch = answer("""
                [{"jsonrpc":"2.0","method":"calc.add","params":[1,2],"id":"a"},
                 {"jsonrpc":"2.0","method":"ping"},
                 {"jsonrpc":"2.0","method":"calc.divide","params":[1,0],"id":"b"},
                 {"jsonrpc":"2.0","method":"nope","id":"c"}]""");
        assertThat(batch).hasSize(3);
        assertThat(batch.get(0).get("result").asDouble()).isEqualTo(3);
        assertThat(batch.get(0).get("id").asText()).isEqualTo("a");
        error(batch.get(1), -32602);
        error(batch.get(2), -32601);
        assertThat(batch.get(2).get("id").asText()).isEqualTo("c");
    }

    @Test
    void notifications_areAnswered204WithoutABody() throws Exception {
        HttpResponse<String> one = post("{\"jsonrpc\":\"2.0\",\"method\":\"calc.add\",\"params\":[1,2]}");
        assertThat(one.statusCode()).isEqualTo(204);
        assertThat(one.body()).isEmpty();
        HttpResponse<String> batch = post("[{\"jsonrpc\":\"2.0\",\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}]");
        assertThat(batch.statusCode()).isEqualTo(204);
        assertThat(batch.body()).isEmpty();
    }

    @Test
    void otherMethods_get405() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }
}
