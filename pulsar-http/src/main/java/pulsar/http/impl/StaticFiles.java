package pulsar.http.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import pulsar.http.HttpHandler;
import pulsar.http.HttpRequest;
import pulsar.http.HttpResponse;

/**
 * The handler of {@link pulsar.http.Router#files}: serves the file the {@code path} parameter
 * names under a directory, never one outside it (404, symbolic links included), with
 * {@code Content-Type} from its name, {@code ETag} and {@code Last-Modified} (answering 304 to
 * {@code If-None-Match} and {@code If-Modified-Since}), and one {@code Range} (206, or 416 when it
 * is beyond the file). A directory serves its {@code index.html}.
 */
final class StaticFiles implements HttpHandler {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"), Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"), Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=UTF-8"),
            Map.entry("md", "text/markdown; charset=UTF-8"), Map.entry("csv", "text/csv; charset=UTF-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"));

    private final Path root;

    StaticFiles(Path directory) {
        this.root = directory.toAbsolutePath().normalize();
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws IOException {
        String rel = request.pathParam("path");
        if (rel == null || rel.indexOf('\0') >= 0 || rel.contains("\\")) {
            return notFound();
        }
        for (String segment : rel.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return notFound();
            }
        }
        Path file = root.resolve(rel).normalize();
        if (!file.startsWith(root) || !Files.exists(file)) {
            return notFound();
        }
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
            if (!Files.isRegularFile(file)) {
                return notFound();
            }
        }
        if (!file.toRealPath().startsWith(root.toRealPath())) {
            return notFound(); // a link out of the directory
        }
        if (!Files.isRegularFile(file)) {
            return notFound();
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis() / 1000 * 1000;
        String etag = "\"" + Long.toHexString(modified) + "-" + Long.toHexString(size) + "\"";
        String lastModified = HTTP_DATE.format(Instant.ofEpochMilli(modified));
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null ? matches(ifNoneMatch, etag) : notModifiedSince(request.header("If-Modified-Since"), modified)) {
            return HttpResponse.status(304).header("ETag", etag).header("Last-Modified", lastModified);
        }
        String type = type(file);
        long start = 0;
        long length = size;
        int status = 200;
        String range = request.header("Range");
        String ifRange = request.header("If-Range");
        if (range != null && (ifRange == null || ifRange.equals(etag)) && range.startsWith("bytes=") && !range.contains(",")) {
            long[] r = range(range.substring(6).trim(), size);
            if (r == null) {
                return HttpResponse.text(416, "Range Not Satisfiable").header("Content-Range", "bytes */" + size);
            }
            if (r.length == 2) {
                start = r[0];
                length = r[1] - r[0] + 1;
                status = 206;
            }
        }
        HttpResponse response = HttpResponse.file(status, type, file, start, length)
                .header("ETag", etag).header("Last-Modified", lastModified).header("Accept-Ranges", "bytes");
        return status == 206 ? response.header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size) : response;
    }

    private static HttpResponse notFound() {
        return HttpResponse.text(404, "Not Found");
    }

    /** The {@code Content-Type} of a file from its name's extension. */
    static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static boolean notModifiedSince(String since, long modified) {
        if (since == null) {
            return false;
        }
        try {
            return ZonedDateTime.parse(since, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli() >= modified;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A byte range {@code first-last}, {@code first-} or {@code -suffix} of a file of {@code size}
     * bytes: {@code {first, last}}; an empty array to ignore a range that does not parse;
     * {@code null} when it is not satisfiable.
     */
    static long[] range(String spec, long size) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new long[0];
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first >= size || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return first >= size ? null : new long[0];
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return new long[0];
        }
    }
}
