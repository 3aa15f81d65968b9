/**
 * Benchmarks of Pulsar for Java against references measured in the same run (see
 * BENCHMARKS.md). They run on the class path ({@code run.sh}: {@code java -cp}); this descriptor
 * makes the compiler hold them to pulsar.core's exports.
 */
module pulsar.benchmarks {
    // pulsar.core registers and invokes LocalPingPongBench's @Command; Jackson serializes HttpRefs.Message.
    // pulsar.queue invokes QueueEmbeddedBench's @Task.
    opens pulsar.bench to pulsar.core, pulsar.queue, com.fasterxml.jackson.databind;

    requires pulsar.core;
    requires pulsar.queue;
    requires io.netty.buffer;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.vertx.core;
    requires io.vertx.web;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires jdk.management; // IdleActorsBench: the process CPU time
    requires jdk.jfr;
    requires pekko.actor;
    requires scala.library;
    requires typesafe.config;
}
