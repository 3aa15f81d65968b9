package pulsar.queue.impl;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.queue.Task;
import pulsar.queue.TaskFunction;

/**
 * The tasks a JVM can run: registered explicitly, or {@link Task} methods found by
 * {@link TaskScanner} the first time a name is unknown.
 */
public final class TaskRegistry {
    private static final Logger log = LoggerFactory.getLogger(TaskRegistry.class);

    private final Map<String, TaskFunction> tasks = new ConcurrentHashMap<>();
    private volatile boolean scanned;

    TaskRegistry() {
    }

    /** Registers (or replaces) task {@code name}. */
    public void register(String name, TaskFunction function) {
        if (name == null || name.isBlank() || name.length() > 256) {
            throw new IllegalArgumentException("task name: '" + name + "' is not 1 to 256 characters");
        }
        tasks.put(name, java.util.Objects.requireNonNull(function, "function"));
    }

    /** Registers every {@link Task} method of {@code type}; returns how many. */
    public int register(Class<?> type) {
        int n = 0;
        for (Method m : type.getDeclaredMethods()) {
            Task t = m.getAnnotation(Task.class);
            if (t != null) {
                AnnotatedTask task = AnnotatedTask.of(m, t);
                tasks.put(task.name(), task);
                n++;
            }
        }
        return n;
    }

    /** The task of that name, scanning the class path once if it is unknown; {@code null} if none. */
    public TaskFunction lookup(String name) {
        TaskFunction f = tasks.get(name);
        if (f == null && !scanned) {
            synchronized (this) {
                if (!scanned) {
                    for (Class<?> c : TaskScanner.scanClassPath()) {
                        try {
                            register(c);
                        } catch (RuntimeException | LinkageError e) {
                            log.warn("tasks of {} skipped: {}", c.getName(), e.getMessage());
                        }
                    }
                    scanned = true;
                }
            }
            f = tasks.get(name);
        }
        return f;
    }

    /** The names registered so far. */
    public Set<String> names() {
        return new TreeSet<>(tasks.keySet());
    }
}
