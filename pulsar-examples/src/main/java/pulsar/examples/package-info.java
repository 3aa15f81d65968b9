/**
 * Small runnable examples of Pulsar for Java, each with a {@code main} that starts the arbiter,
 * does one thing and stops: {@link pulsar.examples.PingPong} (two actors sending to each other),
 * {@link pulsar.examples.EchoServer} (an actor serving TCP from its own event loop) and
 * {@link pulsar.examples.CustomCommand} (commands of your own with {@code @Command}).
 */
package pulsar.examples;
