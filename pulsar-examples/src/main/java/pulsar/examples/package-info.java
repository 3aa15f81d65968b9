/**
 * Small runnable examples of Pulsar for Java, each with a {@code main} that starts the arbiter,
 * does one thing and stops: {@link pulsar.examples.PingPong} (two actors sending to each other),
 * {@link pulsar.examples.EchoServer} (an actor serving TCP from its own event loop) and
 * {@link pulsar.examples.CustomCommand} (commands of your own with {@code @Command}); and
 * applications that {@code ./pulsar run NAME} runs: {@link pulsar.examples.Calculator} (JSON-RPC)
 * and {@link pulsar.examples.Chat} (WebSocket users on many workers, joined by actor messages).
 */
package pulsar.examples;
