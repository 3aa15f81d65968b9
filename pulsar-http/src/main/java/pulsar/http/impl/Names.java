package pulsar.http.impl;

/** The header names and values the server writes, capitalized as most servers write them (HTTP/1.x names are case-insensitive). */
final class Names {
    static final String DATE = "Date";
    static final String SERVER = "Server";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String CONNECTION = "Connection";
    static final String TRANSFER_ENCODING = "Transfer-Encoding";
    static final String CLOSE = "close";
    static final String KEEP_ALIVE = "keep-alive";
    static final String CHUNKED = "chunked";

    private Names() {
    }
}
