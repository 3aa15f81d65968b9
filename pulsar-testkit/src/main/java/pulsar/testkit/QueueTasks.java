package pulsar.testkit;

import java.util.List;
import java.util.Map;
import pulsar.queue.Task;
import pulsar.queue.TaskContext;

/**
 * The tasks {@link QueueContract} submits. Found by the task scanner in every worker JVM (the
 * testkit is on the class path of child JVMs too).
 */
public final class QueueTasks {
    private QueueTasks() {
    }

    /** {@code contract.add(x, y)}: their sum. */
    @Task("contract.add")
    public static long add(long x, long y) {
        return x + y;
    }

    /** {@code contract.echo(value)}: the value. */
    @Task("contract.echo")
    public static Object echo(Object value) {
        return value;
    }

    /** {@code contract.fail(message)}: throws with that message. */
    @Task("contract.fail")
    public static Object fail(String message) {
        throw new IllegalStateException(message);
    }

    /** {@code contract.delivery()}: the delivery number it runs in. */
    @Task("contract.delivery")
    public static long delivery(TaskContext context) {
        return context.delivery();
    }

    /** {@code contract.flaky(n)}: fails its first {@code n} deliveries, then returns the delivery number. */
    @Task("contract.flaky")
    public static long flaky(TaskContext context, long failures) {
        if (context.delivery() <= failures) {
            throw new IllegalStateException("flaky failure on delivery " + context.delivery());
        }
        return context.delivery();
    }

    /** {@code contract.repeat(text, n)}: {@code text} repeated {@code n} times. */
    @Task("contract.repeat")
    public static String repeat(String text, int n) {
        return text.repeat(n);
    }

    /** {@code contract.sleep(ms)}: sleeps (blocking the worker), then returns {@code ms}. */
    @Task("contract.sleep")
    public static long sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }

    /** {@code contract.halt()}: kills its worker's JVM at once, every time (a poison task). */
    @Task("contract.halt")
    public static Object halt() {
        Runtime.getRuntime().halt(137);
        return null;
    }

    /** {@code contract.all(args...)}: its arguments, as a list. */
    @Task("contract.all")
    public static List<Object> all(List<Object> args) {
        return args;
    }

    /** {@code contract.point(map)}: binds a JSON object to a record and returns it. */
    @Task("contract.point")
    public static Map<String, Object> point(Point p) {
        return Map.of("sum", p.x() + p.y());
    }

    /** A record a task argument binds to. */
    public record Point(long x, long y) {
    }
}
