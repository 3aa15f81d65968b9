/** Implementation: tagged object encoding with deny-list and allow-list deserialization filters. */
package pulsar.impl.serial;
