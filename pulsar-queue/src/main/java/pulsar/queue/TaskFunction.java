package pulsar.queue;

import java.util.List;

/**
 * A task registered explicitly with {@link Tasks#register(String, TaskFunction)}: a function of
 * the task's decoded JSON arguments.
 */
@FunctionalInterface
public interface TaskFunction {
    /**
     * Runs the task on the worker's thread; it may block for as long as the task needs.
     *
     * @param context the running task
     * @param args the JSON arguments, decoded: {@code String}, {@code Long}, {@code Double},
     *     {@code Boolean}, {@code null}, {@code List} and {@code Map}
     * @return the result, any value Jackson can write as JSON, or a
     *     {@link java.util.concurrent.CompletionStage} of one
     * @throws Exception to fail the task; its message is the error its submitter sees
     */
    Object apply(TaskContext context, List<Object> args) throws Exception;
}
