package pulsar.tests;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pulsar.ActorProxy;
import pulsar.Pulsar;

/** Helpers to look at child JVMs from a test. */
final class Children {
    private Children() {
    }

    static long pid(ActorProxy p) {
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) p.send("info").orTimeout(20, TimeUnit.SECONDS).join();
        return (Long) info.get("pid");
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> arbiterInfo() {
        return (Map<String, Object>) Pulsar.send("arbiter", "info").orTimeout(20, TimeUnit.SECONDS).join();
    }

    @SuppressWarnings("unchecked")
    static boolean managed(String aid) {
        return ((List<Map<String, Object>>) arbiterInfo().get("actors")).stream().anyMatch(a -> aid.equals(a.get("aid")));
    }

    /** How the arbiter recorded the exit of {@code aid}, or null. */
    @SuppressWarnings("unchecked")
    static String exit(String aid) {
        return ((List<Map<String, Object>>) arbiterInfo().get("exited")).stream()
                .filter(e -> aid.equals(e.get("aid"))).map(e -> (String) e.get("how")).reduce((a, b) -> b).orElse(null);
    }

    static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " failed");
        }
    }
}
