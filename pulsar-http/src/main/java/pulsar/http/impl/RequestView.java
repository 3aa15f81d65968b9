package pulsar.http.impl;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import pulsar.Actor;
import pulsar.http.HttpException;
import pulsar.http.HttpRequest;

/** A request as handlers see it: its head (Netty's), its whole body, and what routing found. */
final class RequestView implements HttpRequest {
    private final HttpServer server;
    private final io.netty.handler.codec.http.HttpRequest head;
    private final byte[] body;
    private final InetSocketAddress remote;
    private final String path;
    private final List<String> rawSegments;
    private QueryStringDecoder query; // decoded at once when the URI has a query, else when asked
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> form;
    private Map<String, Object> attributes;

    /** @throws IllegalArgumentException when the path is not well encoded */
    RequestView(HttpServer server, io.netty.handler.codec.http.HttpRequest head, byte[] body, InetSocketAddress remote) {
        this.server = server;
        this.head = head;
        this.body = body;
        this.remote = remote;
        String uri = head.uri();
        boolean plain = uri.indexOf('?') < 0 && uri.indexOf('#') < 0;
        if (!plain) {
            this.query = new QueryStringDecoder(uri);
        }
        String raw = plain ? uri : query.rawPath();
        if (!raw.startsWith("/")) { // absolute form: http://host/path
            int scheme = raw.indexOf("://");
            int slash = scheme < 0 ? -1 : raw.indexOf('/', scheme + 3);
            raw = slash < 0 ? "/" : raw.substring(slash);
        }
        this.rawSegments = PathPattern.split(raw);
        if (raw.indexOf('%') < 0) {
            this.path = raw; // what joining the segments gives when none is escaped
        } else {
            StringBuilder p = new StringBuilder();
            for (String s : rawSegments) {
                p.append('/').append(PathPattern.decode(s));
            }
            this.path = p.isEmpty() ? "/" : p.toString();
        }
        if (query != null) {
            query.parameters(); // a bad query fails here, as a 400, not in a handler
        }
    }

    private QueryStringDecoder query() {
        if (query == null) {
            query = new QueryStringDecoder(head.uri());
        }
        return query;
    }

    HttpServer server() {
        return server;
    }

    List<String> rawSegments() {
        return rawSegments;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    io.netty.handler.codec.http.HttpRequest head() {
        return head;
    }

    @Override
    public String method() {
        return head.method().name();
    }

    @Override
    public String uri() {
        return head.uri();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String protocol() {
        return head.protocolVersion().text();
    }

    @Override
    public String header(String name) {
        return head.headers().get(name);
    }

    @Override
    public List<String> headers(String name) {
        return head.headers().getAll(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        HttpHeaders h = head.headers();
        for (Map.Entry<String, String> e : h) {
            all.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
        }
        return all;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public String query(String name) {
        List<String> v = query().parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        return Collections.unmodifiableMap(query().parameters());
    }

    @Override
    public String form(String name) {
        if (form == null) {
            String type = header("Content-Type");
            form = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                    ? new QueryStringDecoder(bodyText(), charset(), false).parameters() : Map.of();
        }
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String bodyText() {
        return new String(body, charset());
    }

    private Charset charset() {
        String type = header("Content-Type");
        if (type != null) {
            for (String part : type.split(";")) {
                String p = part.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (RuntimeException e) {
                        throw new HttpException(415, "unknown charset in Content-Type: " + type);
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public <T> T json(Class<T> type) {
        String contentType = header("Content-Type");
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json")) {
            throw new HttpException(415, "expected a JSON body (Content-Type: application/json), got "
                    + (contentType == null ? "no Content-Type" : contentType));
        }
        if (body.length == 0) {
            throw new HttpException(400, "expected a JSON body, got none");
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpException(400, "invalid JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpException(400, "invalid JSON body: " + e.getMessage());
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Actor worker() {
        return server.worker();
    }

    @Override
    public Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public void attribute(String name, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(name, value);
    }

    @Override
    public String toString() {
        return method() + " " + uri();
    }
}
