/** Implementation: the event loop over one Netty IoEventLoop, and the loop-thread guard. */
package pulsar.impl.loop;
