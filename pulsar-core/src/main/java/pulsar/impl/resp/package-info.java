/** Implementation: the RESP2/RESP3 decoder and writer, with frame limits. */
package pulsar.impl.resp;
