/**
 * Applications: the public pieces of pulsar's ready servers. For the socket server, a
 * {@link pulsar.app.SocketServerConfig} (where it listens, {@link pulsar.app.ServerBinding},
 * and its limits) and a {@link pulsar.app.SocketProtocol}, the user's Netty handlers for each
 * {@link pulsar.app.SocketConnection}; {@link pulsar.app.SocketProtocol#echo()} is the echo
 * protocol. {@code docs/socket-server.md} shows them at work.
 */
package pulsar.app;
