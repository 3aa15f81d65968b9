package pulsar.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import pulsar.Actor;

/**
 * One HTTP request as a handler sees it: its line, headers and whole body (the server reads the
 * body before calling the handler, within the {@code max_body_size} limit). Names of headers are
 * case-insensitive. Used on the worker's loop (or the virtual thread of a blocking route).
 */
public interface HttpRequest {
    /** The method, upper case ({@code GET}). */
    String method();

    /** The request target as sent ({@code /users/7?full=1}). */
    String uri();

    /** The decoded path, without the query ({@code /users/7}). */
    String path();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String protocol();

    /** The first value of header {@code name}, or {@code null}. */
    String header(String name);

    /** Every value of header {@code name}, in order; empty when absent. */
    List<String> headers(String name);

    /** Every header, names lower case, values in order. */
    Map<String, List<String>> headers();

    /** The value of path parameter {@code name} ({@code /users/{id}}), or {@code null}. */
    String pathParam(String name);

    /** The first value of query parameter {@code name}, or {@code null}. */
    String query(String name);

    /** Every query parameter, values in order. */
    Map<String, List<String>> queryParams();

    /** The first value of form field {@code name} of an {@code application/x-www-form-urlencoded} body, or {@code null}. */
    String form(String name);

    /** The body's bytes; empty when there is none. */
    byte[] body();

    /** The body as text, in the charset of its {@code Content-Type} (UTF-8 by default). */
    String bodyText();

    /**
     * The JSON body read as {@code type} (Jackson).
     *
     * @throws HttpException 400 naming the problem when the body is not such JSON, 415 when it is not {@code application/json}
     */
    <T> T json(Class<T> type);

    /** The client's address (the peer of the connection). */
    InetSocketAddress remoteAddress();

    /** The worker serving the request: to send actor messages, or reach its loop. */
    Actor worker();

    /** The value a filter stored under {@code name} for this request, or {@code null}. */
    Object attribute(String name);

    /** Stores {@code value} under {@code name} for this request (for the filters and handler after). */
    void attribute(String name, Object value);
}
