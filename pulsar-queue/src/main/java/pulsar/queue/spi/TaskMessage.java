package pulsar.queue.spi;

import java.util.Objects;
import pulsar.queue.TaskOptions;

/**
 * A submitted task as every backend stores it: the task's id, name, JSON arguments and
 * options. Its JSON form ({@link #toJson()}) is the language-neutral message documented in
 * {@code docs/task-queue.md}.
 *
 * @param id the task id, unique per queue backend (the client makes it)
 * @param name the task name
 * @param args the arguments: the text of a JSON array
 * @param options queue, priority, deliveries, timeout and retry policy
 * @param submittedAt when it was submitted, milliseconds since the epoch
 */
public record TaskMessage(String id, String name, String args, TaskOptions options, long submittedAt) {
    /** Checks the fields that every backend relies on. */
    public TaskMessage {
        if (id == null || id.isBlank() || id.length() > 128) {
            throw new IllegalArgumentException("task id: '" + id + "' is not 1 to 128 characters");
        }
        if (name == null || name.isBlank() || name.length() > 256) {
            throw new IllegalArgumentException("task name: '" + name + "' is not 1 to 256 characters");
        }
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(options, "options");
    }

    /** The message as JSON: {@code {"id":..,"name":..,"args":[..],"queue":..,...}}. */
    public String toJson() {
        return pulsar.queue.impl.Json.writeMessage(this);
    }

    /**
     * Reads a JSON message; absent fields take the defaults of {@link TaskOptions}, an absent id
     * is made with {@link #newId()}, absent args are {@code []}.
     *
     * @throws pulsar.queue.TaskException of kind {@code BAD_ARGUMENTS}, saying what is wrong
     */
    public static TaskMessage fromJson(String json) {
        return pulsar.queue.impl.Json.readMessage(json, System.currentTimeMillis());
    }

    /** A new task id, unique with overwhelming probability across JVMs. */
    public static String newId() {
        return pulsar.queue.impl.TaskIds.next();
    }
}
