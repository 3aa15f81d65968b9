package pulsar.queue;

import java.util.Set;
import pulsar.queue.impl.QueueRuntime;

/**
 * This JVM's tasks. {@link Task} methods on the class path are found by themselves the first
 * time a worker meets an unknown name; register here to add tasks at once or without the
 * annotation. Register in every JVM whose workers run the task (e.g. in a worker's start hook).
 */
public final class Tasks {
    private Tasks() {
    }

    /**
     * Registers (or replaces) task {@code name}.
     *
     * @throws IllegalArgumentException if the name is blank or longer than 256 characters
     */
    public static void register(String name, TaskFunction function) {
        QueueRuntime.registry().register(name, function);
    }

    /**
     * Registers every {@link Task} method of {@code type}.
     *
     * @return how many tasks it declares
     * @throws IllegalArgumentException if one of them is not public and static
     */
    public static int register(Class<?> type) {
        return QueueRuntime.registry().register(type);
    }

    /** The task of that name, scanning the class path once if it is unknown; {@code null} if none. */
    public static TaskFunction lookup(String name) {
        return QueueRuntime.registry().lookup(name);
    }

    /** The names registered (or found) so far. */
    public static Set<String> names() {
        return QueueRuntime.registry().names();
    }
}
