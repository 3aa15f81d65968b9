/**
 * Applications: an {@link pulsar.app.Application} names a service and its settings and hooks; added
 * to the arbiter, it gets a {@link pulsar.app.Monitor} that keeps its pool of workers alive.
 */
package pulsar.app;
