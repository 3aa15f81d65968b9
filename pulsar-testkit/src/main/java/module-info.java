/**
 * JUnit 5 support for Pulsar for Java: an arbiter per test class ({@link pulsar.testkit.ArbiterExtension}),
 * probes, a raw RESP client, the actor contract suite ({@link pulsar.testkit.ActorContract}) and the
 * queue backend contract suite ({@link pulsar.testkit.QueueContract}).
 */
module pulsar.testkit {
    exports pulsar.testkit;
    // JUnit runs the contract's test methods; pulsar.core registers and invokes Probe's @Commands;
    // pulsar.queue invokes QueueTasks' @Tasks.
    opens pulsar.testkit to org.junit.platform.commons, pulsar.core, pulsar.queue;

    requires transitive pulsar.core;
    requires transitive pulsar.queue; // QueueContract's protected API names the queue's types
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;
    requires awaitility; // no Automatic-Module-Name: the name comes from the jar's file name
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.slf4j;
}
