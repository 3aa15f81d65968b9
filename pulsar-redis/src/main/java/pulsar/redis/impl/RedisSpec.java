package pulsar.redis.impl;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A queue URL {@code redis://[[user]:password@]host[:port][/db][?prefix=NAME]}: the server, the
 * database (0 by default) and the prefix of the queue's keys ({@code pulsar:q} by default).
 */
record RedisSpec(String host, int port, int database, String user, String password, String prefix) {
    static final String DEFAULT_PREFIX = "pulsar:q";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:{}-]{1,64}");

    /**
     * Reads a queue URL.
     *
     * @throws IllegalArgumentException naming the URL and what is wrong
     */
    static RedisSpec parse(URI url) {
        String text = url.toString();
        if (!"redis".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("queue URL '" + text + "': the scheme is not redis");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("queue URL '" + text + "': no host (give redis://host:port/db)");
        }
        int port = url.getPort() < 0 ? 6379 : url.getPort();
        int db = 0;
        String path = url.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                db = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                db = -1;
            }
            if (db < 0 || db > 15_000) {
                throw new IllegalArgumentException("queue URL '" + text + "': the database '" + path.substring(1) + "' is not a number");
            }
        }
        String user = null;
        String password = null;
        String info = url.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            String u = colon < 0 ? "" : info.substring(0, colon);
            String p = colon < 0 ? info : info.substring(colon + 1);
            user = u.isEmpty() ? null : URLDecoder.decode(u, StandardCharsets.UTF_8);
            password = URLDecoder.decode(p, StandardCharsets.UTF_8);
        }
        String prefix = DEFAULT_PREFIX;
        String query = url.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (key.equals("prefix")) {
                    if (!PREFIX.matcher(value).matches()) {
                        throw new IllegalArgumentException("queue URL '" + text + "': prefix '" + value
                                + "' is not 1 to 64 letters, digits, _ . : { } -");
                    }
                    prefix = value;
                } else {
                    throw new IllegalArgumentException("queue URL '" + text + "': unknown parameter '" + key + "' (known: prefix)");
                }
            }
        }
        return new RedisSpec(host, port, db, user, password, prefix);
    }

    /** The URL without its password, for messages. */
    String display() {
        return "redis://" + host + ":" + port + "/" + database + (prefix.equals(DEFAULT_PREFIX) ? "" : "?prefix=" + prefix);
    }

    RedisURI uri() {
        RedisURI.Builder b = RedisURI.Builder.redis(host, port).withDatabase(database).withTimeout(Duration.ofSeconds(30));
        if (password != null) {
            if (user != null) {
                b.withAuthentication(user, password.toCharArray());
            } else {
                b.withPassword(password.toCharArray());
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return display();
    }
}
