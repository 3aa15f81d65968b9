/**
 * Implementation: what a JVM holds once ({@code PulsarRuntime}: commands, dispatcher,
 * launchers, arbiter) and the main class of a process actor's JVM.
 */
package pulsar.impl.runtime;
