/**
 * The task queue's implementation: the embedded backend ({@code EmbeddedBackend}), the client of
 * the embedded queue through the arbiter's mailbox ({@code MailboxBackend}) and the wire
 * commands it calls ({@code QueueCommands}), the JSON codec, the task registry and its class
 * path scanner. Not exported.
 */
package pulsar.queue.impl;
