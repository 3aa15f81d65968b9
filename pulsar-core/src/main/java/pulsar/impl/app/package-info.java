/**
 * Implementation: applications. One {@code MonitorImpl} per running application keeps its pool
 * of workers alive on the arbiter's loop, hearing of exits through the arbiter's listeners;
 * {@code WorkerBehaviour} runs the application's worker hooks in each worker.
 */
package pulsar.impl.app;
