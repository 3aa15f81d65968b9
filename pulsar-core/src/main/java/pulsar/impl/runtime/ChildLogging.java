package pulsar.impl.runtime;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of a process actor's JVM: one line per event on standard error,
 * {@code LEVEL logger - message}, and a stack trace when there is one. The parent reads that
 * stream, tags each line with the actor's aid and name and logs it with its own back-end (with
 * the time), so a child needs no logging back-end of its own: loading and configuring Logback
 * costs a child about 440 classes and tens of milliseconds at start.
 *
 * <p>{@link ChildMain} selects it with the {@code slf4j.provider} system property before anything
 * logs, unless the JVM options set that property themselves (say
 * {@code -Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider} to log with Logback
 * in the child). The level is {@code PULSAR_LOG_LEVEL} ({@code INFO} by default) and
 * {@code WARN} for {@code io.netty}, as in the launcher's {@code logback.xml}.
 */
public final class ChildLogging implements SLF4JServiceProvider {
    /** The system property SLF4J 2.0.9+ reads to pick a provider without a service lookup. */
    static final String PROVIDER_PROPERTY = "slf4j.provider";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private ILoggerFactory factory;

    /** Public for SLF4J, which instantiates it by name. */
    public ChildLogging() {
    }

    /**
     * Makes this class SLF4J's provider in this JVM unless one was chosen already; must run
     * before the first logger is created. SLF4J's own notice about the choice is silenced.
     */
    static void install() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, ChildLogging.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        factory = new Factory(level(System.getenv("PULSAR_LOG_LEVEL"), Level.INFO), System.err);
    }

    /** {@code name} as a level ({@code OFF} is above {@code ERROR}), or {@code fallback}. */
    static Level level(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("OFF")) {
            return null;
        }
        try {
            return Level.valueOf(n);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** Loggers by name; {@code io.netty} at {@code WARN} at most. */
    static final class Factory implements ILoggerFactory {
        private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
        private final Level root;
        private final PrintStream out;

        Factory(Level root, PrintStream out) {
            this.root = root;
            this.out = out;
        }

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> {
                Level threshold = root;
                if (threshold != null && (n.equals("io.netty") || n.startsWith("io.netty.")) && threshold.toInt() < Level.WARN.toInt()) {
                    threshold = Level.WARN;
                }
                return new StderrLogger(n, threshold, out);
            });
        }
    }

    /** Writes {@code LEVEL shortName - message} lines at {@code threshold} and above ({@code null}: nothing). */
    static final class StderrLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream out;
        private final int threshold;
        private final String shortName;

        StderrLogger(String name, Level threshold, PrintStream out) {
            this.name = name;
            this.threshold = threshold == null ? Integer.MAX_VALUE : threshold.toInt();
            this.out = out;
            this.shortName = name.substring(name.lastIndexOf('.') + 1);
        }

        private boolean on(Level l) {
            return l.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return on(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return on(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return on(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return on(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return on(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            String head = level.name();
            StringBuilder line = new StringBuilder(head.length() + shortName.length() + message.length() + 8)
                    .append(head).append(" ".repeat(Math.max(1, 6 - head.length()))).append(shortName).append(" - ").append(message);
            synchronized (out) {
                out.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }
}
