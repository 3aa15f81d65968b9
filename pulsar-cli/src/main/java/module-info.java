/** The {@code pulsar} command line ({@link pulsar.cli.PulsarCli}), run by {@code ./pulsar}. */
module pulsar.cli {
    exports pulsar.cli;
    // picocli sets the commands' option fields and calls their methods reflectively;
    // pulsar.core registers and invokes DemoCommands' @Command methods.
    opens pulsar.cli to info.picocli, pulsar.core;

    requires transitive pulsar.core; // DemoCommands and PulsarCli name its types and picocli's
    requires transitive info.picocli;
    requires org.slf4j;
    requires ch.qos.logback.classic; // log_level
    requires com.fasterxml.jackson.core; // TOML config files for 'pulsar run'
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.toml;
    requires pulsar.queue; // pulsar task
    requires jdk.unsupported; // sun.misc.Signal: TTIN, TTOU and HUP for 'pulsar run'

    uses pulsar.app.Application; // the bundled applications of pulsar run, found by name

}
