/**
 * Pulsar's HTTP server application, on Netty's HTTP and WebSocket codecs: a router with path
 * parameters and filters, static files, JSON bodies, WebSocket routes ({@code pulsar.http}) and
 * JSON-RPC 2.0 ({@code pulsar.http.rpc}). Start with {@link pulsar.http.HttpServerApplication}.
 * {@code pulsar.http.impl} is implementation and is not exported.
 */
module pulsar.http {
    exports pulsar.http;
    exports pulsar.http.rpc;

    requires transitive pulsar.core;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires transitive com.fasterxml.jackson.databind; // pulsar.http.rpc.RpcParams hands out JsonNodes
    requires org.slf4j;
}
