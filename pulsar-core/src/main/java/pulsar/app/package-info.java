/**
 * Applications: an {@link pulsar.app.Application} names a service and its settings and hooks;
 * added to the arbiter, it gets a {@link pulsar.app.Monitor} that keeps its pool of workers
 * alive. The socket server's pieces: a {@link pulsar.app.SocketServerConfig} (where it listens,
 * {@link pulsar.app.ServerBinding}, and its limits) and a {@link pulsar.app.SocketProtocol}, the
 * user's Netty handlers for each {@link pulsar.app.SocketConnection};
 * {@link pulsar.app.SocketProtocol#echo()} is the echo protocol.
 */
package pulsar.app;
