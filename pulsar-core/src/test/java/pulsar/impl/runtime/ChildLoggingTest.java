package pulsar.impl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** The child JVMs' SLF4J binding: one line per event on standard error, levels as the launcher's logback.xml. */
class ChildLoggingTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void info_writesLevelShortNameAndTheFormattedMessage() {
        Logger log = new ChildLogging.Factory(Level.INFO, out).getLogger("pulsar.impl.actor.ManagedActor");
        log.info("actor {} stops: {}", "ab12", "why");
        log.debug("not shown");
        assertThat(written()).isEqualTo("INFO  ManagedActor - actor ab12 stops: why" + System.lineSeparator());
    }

    @Test
    void aThrowable_isPrintedWithItsStackTrace() {
        Logger log = new ChildLogging.Factory(Level.INFO, out).getLogger("x.Y");
        log.warn("failed", new IllegalStateException("boom"));
        assertThat(written()).startsWith("WARN  Y - failed" + System.lineSeparator() + "java.lang.IllegalStateException: boom");
    }

    @Test
    void netty_logsFromWarnOnly_evenAtDebug() {
        ChildLogging.Factory f = new ChildLogging.Factory(Level.DEBUG, out);
        assertThat(f.getLogger("io.netty.channel.DefaultChannelPipeline").isInfoEnabled()).isFalse();
        assertThat(f.getLogger("io.netty.channel.DefaultChannelPipeline").isWarnEnabled()).isTrue();
        assertThat(f.getLogger("pulsar.X").isDebugEnabled()).isTrue();
    }

    @Test
    void level_fromPulsarLogLevel() {
        assertThat(ChildLogging.level(null, Level.INFO)).isEqualTo(Level.INFO);
        assertThat(ChildLogging.level("debug", Level.INFO)).isEqualTo(Level.DEBUG);
        assertThat(ChildLogging.level("nonsense", Level.INFO)).isEqualTo(Level.INFO);
        assertThat(ChildLogging.level("OFF", Level.INFO)).isNull();
        Logger off = new ChildLogging.Factory(null, out).getLogger("a.B");
        off.error("not shown");
        assertThat(written()).isEmpty();
    }
}
