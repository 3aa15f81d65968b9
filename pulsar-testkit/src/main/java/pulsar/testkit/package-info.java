/**
 * The test harness of Pulsar for Java: {@link pulsar.testkit.ArbiterExtension} starts the
 * arbiter with a private secret and tears every actor down, {@link pulsar.testkit.RedisCli}
 * drives the real {@code redis-cli}, {@link pulsar.testkit.RawMailbox} speaks raw bytes to a
 * mailbox, and {@link pulsar.testkit.ActorContract} is the behaviour every actor kind must have.
 */
package pulsar.testkit;
