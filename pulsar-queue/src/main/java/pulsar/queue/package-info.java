/**
 * The task queue's API. Declare tasks with {@link pulsar.queue.Task} (or register them with
 * {@link pulsar.queue.Tasks}), submit them with a {@link pulsar.queue.TaskQueue}, consume them
 * with a {@link pulsar.queue.TaskWorker}. Arguments and results are JSON values; failures are
 * {@link pulsar.queue.TaskException}s of a closed {@link pulsar.queue.TaskFailure} vocabulary.
 * See {@code docs/task-queue.md}.
 */
package pulsar.queue;
