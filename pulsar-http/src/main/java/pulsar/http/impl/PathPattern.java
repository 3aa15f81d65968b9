package pulsar.http.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route's path pattern, {@code /users/{id}/files/{rest...}}: literal segments, parameters that
 * take one segment, and an optional last parameter that takes the rest of the path (possibly
 * empty). Matched against the raw (still percent-encoded) segments of a request's path, so that an
 * encoded {@code /} stays inside its segment; parameter values are decoded.
 */
record PathPattern(String text, List<String> segments, boolean rest) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static PathPattern parse(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("route path '" + path + "' must start with /");
        }
        List<String> segments = split(path);
        boolean rest = false;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (name.endsWith("...")) {
                    if (i != segments.size() - 1) {
                        throw new IllegalArgumentException("route path '" + path + "': {" + name + "} must be the last segment");
                    }
                    name = name.substring(0, name.length() - 3);
                    rest = true;
                }
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("route path '" + path + "': '" + name + "' is not a parameter name");
                }
            } else if (s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("route path '" + path + "': a parameter takes a whole segment, as /{name}");
            }
        }
        return new PathPattern(path, List.copyOf(segments), rest);
    }

    /** The segments of a path: {@code /} has none, {@code /a/} has {@code a} and an empty one. */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        if (path.length() <= 1) {
            return out;
        }
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** The decoded parameters when {@code raw} (raw segments) matches, else {@code null}. */
    Map<String, String> match(List<String> raw) {
        int fixed = rest ? segments.size() - 1 : segments.size();
        if (rest ? raw.size() < fixed : raw.size() != fixed) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < fixed; i++) {
            String s = segments.get(i);
            if (s.startsWith("{")) {
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(s.substring(1, s.length() - 1), decode(raw.get(i)));
            } else if (!s.equals(raw.get(i)) && !s.equals(decode(raw.get(i)))) {
                return null;
            }
        }
        if (rest) {
            if (params == null) {
                params = new LinkedHashMap<>();
            }
            String last = segments.get(fixed);
            List<String> tail = new ArrayList<>();
            for (int i = fixed; i < raw.size(); i++) {
                tail.add(decode(raw.get(i)));
            }
            params.put(last.substring(1, last.length() - 4), String.join("/", tail));
        }
        return params == null ? Map.of() : params;
    }

    /**
     * A path segment with its {@code %XX} escapes decoded as UTF-8 ({@code +} stays {@code +}).
     *
     * @throws IllegalArgumentException on a bad escape or bytes that are not UTF-8
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("bad escape in path segment '" + s + "'");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in path segment '" + s + "'");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path segment '" + s + "' is not UTF-8");
        }
    }
}
