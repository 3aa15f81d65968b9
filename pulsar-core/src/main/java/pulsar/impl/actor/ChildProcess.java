package pulsar.impl.actor;

/** A child JVM running a process actor (issue 3). */
final class ChildProcess {
}
