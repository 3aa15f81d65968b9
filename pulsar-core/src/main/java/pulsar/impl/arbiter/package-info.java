/** Implementation: the arbiter's life cycle and the commands only it serves. */
package pulsar.impl.arbiter;
