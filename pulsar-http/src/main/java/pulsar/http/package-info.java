/**
 * The HTTP server application: {@link pulsar.http.HttpServerApplication} serves the routes of a
 * {@link pulsar.http.Router}; a {@link pulsar.http.HttpHandler} turns an
 * {@link pulsar.http.HttpRequest} into an {@link pulsar.http.HttpResponse}, a
 * {@link pulsar.http.HttpFilter} runs around handlers, and a {@link pulsar.http.WebSocketHandler}
 * serves a WebSocket route. See {@code docs/http-server.md}.
 */
package pulsar.http;
