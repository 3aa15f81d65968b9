/**
 * Runnable examples of Pulsar for Java: quick start, ping-pong, echo server, custom commands, and
 * the bundled applications that {@code pulsar run NAME} finds as services ({@code helloworld}).
 */
module pulsar.examples {
    exports pulsar.examples;
    // pulsar.core registers and invokes the examples' @Command methods.
    opens pulsar.examples to pulsar.core, pulsar.queue;

    requires transitive pulsar.core; // the examples' public methods take its types
    requires io.netty.common; // EchoServer waits on a Netty future
    requires pulsar.http; // the HTTP applications
    requires pulsar.queue; // the task queue example
    requires com.fasterxml.jackson.databind; // Chat's messages
    requires org.slf4j;

    // the applications `pulsar run NAME` finds (on the class path: META-INF/services/pulsar.app.Application)
    provides pulsar.app.Application with pulsar.examples.HelloWorld, pulsar.examples.Calculator, pulsar.examples.Chat,
            pulsar.examples.TaskQueueExample;
}
