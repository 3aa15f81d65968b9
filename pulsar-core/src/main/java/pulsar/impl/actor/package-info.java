/** Implementation: the arbiter, managed actors (threads and child JVMs), routing of sends. */
package pulsar.impl.actor;
