/**
 * The {@code pulsar} command line ({@link pulsar.cli.PulsarCli}): {@code demo}, {@code arbiter},
 * {@code secret} and {@code send}. Run it with the {@code ./pulsar} launcher at the repository
 * root. Logs go to standard error through Logback; replies and reports to standard output.
 */
package pulsar.cli;
