package pulsar.bench;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A small profile reader for JDK Flight Recorder files, since async-profiler is not at hand
 * (and {@code jfr print}/{@code jfr view} of JDK 25 fail on some lambda frames): the hottest
 * methods (self and inclusive) of the execution samples, optionally of threads whose name
 * contains a filter, and the allocation pressure by top frame.
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=rec.jfr,settings=profile ... (run a benchmark)
 * java -cp pulsar-benchmarks/target/bench-lib/pulsar-benchmarks.jar pulsar.bench.JfrTop rec.jfr [thread-filter] [rows]
 * </pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: JfrTop FILE.jfr [thread-name-filter] [rows]");
            System.exit(2);
        }
        String filter = args.length > 1 ? args[1] : "";
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Long> allocByFrame = new HashMap<>();
        Map<String, Long> allocByClass = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            String thread = e.hasField("sampledThread") && e.getThread("sampledThread") != null
                    ? e.getThread("sampledThread").getJavaName()
                    : e.hasField("eventThread") && e.getThread("eventThread") != null ? e.getThread("eventThread").getJavaName() : "?";
            if (thread == null) {
                thread = "?";
            }
            if (!thread.contains(filter)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                threads.merge(thread, 1, Integer::sum);
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        inclusive.merge(n, 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = e.getLong("weight");
                allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
                if (st != null && !st.getFrames().isEmpty()) {
                    String where = name(st.getFrames().get(0));
                    for (RecordedFrame f : st.getFrames()) {
                        String n = name(f);
                        if (n.startsWith("pulsar.")) {
                            where = n;
                            break;
                        }
                    }
                    allocByFrame.merge(where, weight, Long::sum);
                }
            }
        }
        System.out.println("execution samples: " + samples + " (threads: " + top(threads, 8) + ")");
        print("self", self, samples, rows);
        print("inclusive", inclusive, samples, rows);
        long total = allocByClass.values().stream().mapToLong(Long::longValue).sum();
        printLong("allocation by class", allocByClass, total, rows / 2);
        printLong("allocation by first pulsar.* frame (else top frame)", allocByFrame, total, rows / 2);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String top(Map<String, Integer> m, int n) {
        return m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .map(x -> x.getKey() + "=" + x.getValue()).toList().toString();
    }

    private static void print(String title, Map<String, Integer> m, int total, int rows) {
        System.out.println("\n-- " + title);
        m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(x -> System.out.printf("%6.1f%%  %s%n", 100.0 * x.getValue() / Math.max(1, total), x.getKey()));
    }

    private static void printLong(String title, Map<String, Long> m, long total, int rows) {
        System.out.println("\n-- " + title);
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.naturalOrder()).reversed()).limit(rows)
                .forEach(x -> System.out.printf("%6.1f%%  %s%n", 100.0 * x.getValue() / Math.max(1, total), x.getKey()));
    }
}
