/**
 * Pulsar for Java: actors with their own event loops and RESP mailboxes, supervised by an
 * arbiter. Start with {@link pulsar.Pulsar}: {@code Pulsar.arbiter().start()},
 * {@code Pulsar.spawn(Spawn.process())}, {@code Pulsar.send(target, "ping")}. Everything
 * outside this package ({@code pulsar.impl.*}) is implementation and may change.
 */
package pulsar;
