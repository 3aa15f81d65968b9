package pulsar.impl.actor;

import pulsar.impl.command.CommandRegistry;
import pulsar.impl.mailbox.Dispatcher;

/**
 * What every actor of a JVM shares: the dispatcher its sends go through and the commands its
 * mailbox serves. Given by the JVM's runtime; never a static.
 *
 * @param dispatcher routes sends, in this JVM or over a socket
 * @param commands the commands every actor knows
 */
public record ActorServices(Dispatcher dispatcher, CommandRegistry commands) {
}
