package pulsar.http.impl;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code compress} setting: gzip (preferred) or deflate for a byte body of 1 KiB or more of a
 * text-like type, when the request's {@code Accept-Encoding} takes it. Files and streams are not
 * compressed (a file is sent zero-copy, and its ranges refer to its bytes).
 */
final class Compression {
    /** Bodies smaller than this are sent as they are: the headers would cost more than the saving. */
    static final int MIN_SIZE = 1024;

    private Compression() {
    }

    /** {@code body} compressed as {@code request} accepts, {@code Content-Encoding} and {@code Vary} set; else {@code body}. */
    static byte[] compress(HttpRequest request, HttpHeaders headers, int status, byte[] body) {
        if (body.length < MIN_SIZE || status == 206 || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                || !compressible(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
            return body;
        }
        headers.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        String encoding = choose(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        if (encoding == null) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (OutputStream z = encoding.equals("gzip") ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        headers.set(HttpHeaderNames.CONTENT_ENCODING, encoding);
        return out.toByteArray();
    }

    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("javascript") || t.contains("xml") || t.contains("svg");
    }

    /** {@code gzip}, {@code deflate} or {@code null}, from an {@code Accept-Encoding} value (a q of 0 refuses). */
    static String choose(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        boolean deflate = false;
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim();
            boolean refused = p.length > 1 && p[1].trim().replace(" ", "").matches("q=0(\\.0*)?");
            if (refused) {
                continue;
            }
            if (coding.equals("gzip") || coding.equals("*")) {
                return "gzip";
            }
            deflate |= coding.equals("deflate");
        }
        return deflate ? "deflate" : null;
    }
}
