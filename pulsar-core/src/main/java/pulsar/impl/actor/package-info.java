/** Implementation: actors (their mailbox, hooks, settings, {@code config}), their handshake reports and proxies. */
package pulsar.impl.actor;
