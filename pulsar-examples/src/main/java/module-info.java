/** Runnable examples of Pulsar for Java: quick start, ping-pong, echo server, custom commands. */
module pulsar.examples {
    exports pulsar.examples;
    // pulsar.core registers and invokes the examples' @Command methods.
    opens pulsar.examples to pulsar.core;

    requires transitive pulsar.core; // the examples' public methods take its types
    requires io.netty.common; // EchoServer waits on a Netty future
    requires pulsar.http; // Calculator and Chat
    requires com.fasterxml.jackson.databind; // Chat's messages
    requires org.slf4j;

    // ./pulsar run NAME finds the bundled HTTP applications here
    provides pulsar.app.Application with pulsar.examples.Calculator, pulsar.examples.Chat;
}
