/**
 * The contract suite and end-to-end tests. A module so that the compiler holds them to
 * pulsar.core's exports (SameJvmPathTest alone gets pulsar.impl.mailbox, by a qualified
 * export); open, because JUnit runs them reflectively. Surefire still runs them on the class
 * path (see the root pom).
 */
open module pulsar.tests {
    requires pulsar.testkit;
    requires org.assertj.core;
    requires awaitility;
    requires ch.qos.logback.classic; // ProcessSupervisionTest reads the captured log
    requires ch.qos.logback.core;
    requires org.slf4j;
    requires java.management; // ChildJvmDefaultsTest reads a child JVM's input arguments
    requires java.desktop; // SerializationSecurityTest sends a java.awt type that must be rejected
}
