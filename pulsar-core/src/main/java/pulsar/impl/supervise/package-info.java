/**
 * Implementation: supervision. The {@code Supervisor} keeps the records of supervised actors and
 * makes every decision (handshake deadline, timeout, stop then kill, exit causes) on an injected
 * clock; one {@code Launcher} per kind of actor starts and ends them.
 */
package pulsar.impl.supervise;
