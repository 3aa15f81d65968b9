/** Implementation: the command table, built-in commands and discovery of {@code @Command} methods. */
package pulsar.impl.command;
