package pulsar.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What the two reference HTTP servers of benchmark 10 share with each other and with Pulsar's
 * helloworld, so all three send the same bytes: the TechEmpower bodies and the four headers
 * (Server, Date, Content-Type, Content-Length), JSON serialized by Jackson per request.
 */
final class HttpRefs {
    /** The Server header: pulsar-http's ({@code pulsar/<version>}), so that the references send as many bytes. */
    static final String SERVER = "pulsar/0.1.0-SNAPSHOT";
    static final String TEXT = "text/plain; charset=UTF-8";
    static final String JSON = "application/json";
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The TechEmpower json test's object, serialized anew for every request. */
    record Message(String message) {
    }

    private HttpRefs() {
    }

    static byte[] json() {
        try {
            return MAPPER.writeValueAsBytes(new Message("Hello, World!"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Date header's value now; the servers refresh theirs once a second, as TechEmpower's do. */
    static String date() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Prints {@code ready <port>}, then returns when standard input closes (the benchmark's signal to exit). */
    static void readyThenAwaitStdinEof(int port) throws IOException {
        System.out.println("ready " + port);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // nothing: wait for EOF
        }
    }
}
