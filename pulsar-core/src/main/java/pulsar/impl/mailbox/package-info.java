/** Implementation: the mailbox server and client over RESP, the secret, failure and value mapping. */
package pulsar.impl.mailbox;
