package pulsar.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayDeque;
import org.slf4j.LoggerFactory;

/** Keeps the last log lines in memory so that a failing test can print them. */
final class LogCapture extends AppenderBase<ILoggingEvent> {
    private static final int MAX = 2000;
    private static final ArrayDeque<String> LINES = new ArrayDeque<>();
    private static volatile boolean installed;

    static synchronized void install() {
        if (installed || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        LogCapture appender = new LogCapture();
        appender.setContext(ctx);
        appender.setName("pulsar-testkit-capture");
        appender.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        installed = true;
    }

    @Override
    protected void append(ILoggingEvent e) {
        String line = Instant.ofEpochMilli(e.getTimeStamp()) + " " + e.getLevel() + " [" + e.getThreadName() + "] "
                + e.getLoggerName() + " - " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " (" + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + ")");
        synchronized (LogCapture.class) {
            LINES.addLast(line);
            while (LINES.size() > MAX) {
                LINES.removeFirst();
            }
        }
    }

    static synchronized void dump(String test) {
        System.err.println("---- logs captured during " + test + " ----");
        LINES.forEach(System.err::println);
        System.err.println("---- end of logs ----");
        LINES.clear();
    }

    /** Whether a captured line contains {@code text}. */
    static synchronized boolean contains(String text) {
        return LINES.stream().anyMatch(l -> l.contains(text));
    }

    static synchronized void clear() {
        LINES.clear();
    }
}
