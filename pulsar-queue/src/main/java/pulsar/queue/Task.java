package pulsar.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public static method a task that every worker, in any JVM, can run, with no wiring:
 * <pre>{@code
 * public final class MathTasks {
 *     @Task("add")
 *     public static long add(long x, long y) { return x + y; }
 * }
 * }</pre>
 * The first parameter may be a {@link TaskContext}; the others take the task's JSON arguments
 * in order, converted to the parameter types (numbers, strings, booleans, lists, maps, and
 * records or beans Jackson can bind), or all of them when the method declares one
 * {@code List<Object>} or {@code Object...} parameter. The return value becomes the task's
 * JSON result; a {@link java.util.concurrent.CompletionStage} is waited for. A thrown exception
 * fails the task with its message.
 *
 * <p>Workers find tasks on the class path the first time they meet a name they do not know
 * (class files are scanned for this annotation once per JVM), or at once with
 * {@link Tasks#register(Class)}. Names are case-sensitive.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Task {
    /** The task name; the method name when empty. */
    String value() default "";
}
