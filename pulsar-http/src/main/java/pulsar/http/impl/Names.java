package pulsar.http.impl;

import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Map;

/**
 * The header names and values the server writes, capitalized as most servers write them (HTTP/1.x
 * names are case-insensitive), as {@link AsciiString}s: the encoder copies their bytes at once,
 * and headers the server sets itself need no validation.
 */
final class Names {
    static final AsciiString DATE = AsciiString.cached("Date");
    static final AsciiString SERVER = AsciiString.cached("Server");
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString CONNECTION = AsciiString.cached("Connection");
    static final AsciiString TRANSFER_ENCODING = AsciiString.cached("Transfer-Encoding");
    static final AsciiString CLOSE = AsciiString.cached("close");
    static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    static final AsciiString CHUNKED = AsciiString.cached("chunked");

    /** Header names and values handlers commonly use, known valid: looked up instead of validated and converted. */
    private static final Map<String, AsciiString> KNOWN = new HashMap<>();

    static {
        for (String s : new String[] {"Content-Type", "Cache-Control", "Location", "ETag", "Last-Modified", "Content-Encoding",
                "Vary", "Accept-Ranges", "Content-Range", "text/plain; charset=UTF-8", "text/plain", "application/json",
                "text/html; charset=UTF-8", "text/html", "application/octet-stream", "no-cache", "no-store", "bytes",
                "gzip", "Accept-Encoding"}) {
            KNOWN.put(s, AsciiString.cached(s));
        }
    }

    /** {@code s} as a known-valid {@link AsciiString}, or {@code null} when it is not one of the common ones. */
    static AsciiString known(String s) {
        return KNOWN.get(s);
    }

    private static final AsciiString[] LENGTHS = new AsciiString[4096];

    /** A {@code Content-Length} value, cached for small lengths. */
    static CharSequence length(long n) {
        if (n >= 0 && n < LENGTHS.length) {
            int i = (int) n;
            AsciiString s = LENGTHS[i];
            if (s == null) {
                s = new AsciiString(Integer.toString(i));
                LENGTHS[i] = s; // racy but idempotent
            }
            return s;
        }
        return new AsciiString(Long.toString(n));
    }

    private Names() {
    }
}
