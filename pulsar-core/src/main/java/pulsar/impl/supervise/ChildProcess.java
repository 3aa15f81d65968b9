package pulsar.impl.supervise;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM seen from the parent: its process, its standard input (held open: closing it
 * tells the child its parent is gone) and the last lines it printed, for error reports. Its
 * output reaches the parent's log line by line, tagged with the actor's aid and name.
 */
final class ChildProcess {
    private static final Logger log = LoggerFactory.getLogger("pulsar.child");
    private static final int TAIL = 30;
    /** The line a spare prints on standard output once warmed up; not logged. */
    static final String SPARE_READY = "pulsar-spare-ready";

    final Process process;
    private final DataOutputStream stdin;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private volatile String tag;
    private volatile boolean niced;
    private final CompletableFuture<Void> warm = new CompletableFuture<>();
    private final CompletableFuture<Integer> exited;

    private ChildProcess(Process process, String tag) {
        this.process = process;
        this.tag = tag;
        this.stdin = new DataOutputStream(process.getOutputStream());
        CompletableFuture<Void> out = pump(process.getInputStream(), false);
        CompletableFuture<Void> err = pump(process.getErrorStream(), true);
        // Its last words are read before its exit is reported, so that the report holds them.
        this.exited = process.onExit().thenCombine(CompletableFuture.allOf(out, err)
                .completeOnTimeout(null, 2, java.util.concurrent.TimeUnit.SECONDS), (p, x) -> p.exitValue());
    }

    /** Completes with the exit code once the process has ended and its output has been read. */
    CompletableFuture<Integer> exited() {
        return exited;
    }

    /** Starts {@code command}; the child waits for its spec on standard input. */
    static ChildProcess start(List<String> command, String tag) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // its banner would pollute every child's output
        return new ChildProcess(pb.start(), tag);
    }

    long pid() {
        return process.pid();
    }

    /** Completes once a spare has warmed up (never for other children). */
    CompletableFuture<Void> warm() {
        return warm;
    }

    /** Whether it was started with a raised niceness (a spare) that its actor should lose. */
    boolean niced() {
        return niced;
    }

    void niced(boolean value) {
        niced = value;
    }

    /**
     * Gives the child the normal priority back, once, off the caller's thread: when it has warmed
     * up, or when an actor takes it before that.
     */
    void restorePriority() {
        boolean was;
        synchronized (this) {
            was = niced;
            niced = false;
        }
        if (was) {
            Thread.ofVirtual().name("pulsar-renice").start(() -> Priority.restore(process));
        }
    }

    /** Names the actor this (possibly spare) child becomes, for its log lines. */
    void retag(String newTag) {
        tag = newTag;
    }

    /** Writes an encoded spec ({@code ChildSpec.toBytes}) to the child's standard input. */
    void sendSpec(byte[] spec) throws IOException {
        stdin.write(spec);
        stdin.flush();
    }

    /** The last lines the child printed, newest last. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Closes standard input: the child stops by itself. */
    void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private CompletableFuture<Void> pump(InputStream stream, boolean error) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("pulsar-child-output-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!error && !warm.isDone() && line.equals(SPARE_READY)) {
                        warm.complete(null);
                        continue;
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL) {
                            tail.removeFirst();
                        }
                    }
                    if (error) {
                        log.warn("[{}] {}", tag, line);
                    } else {
                        log.info("[{}] {}", tag, line);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            } finally {
                done.complete(null);
            }
        });
        return done;
    }
}
