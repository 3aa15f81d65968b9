package pulsar;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public static method a command of every actor, thread or process, with no wiring:
 * <pre>{@code
 * public final class Greetings {
 *     @Command("greet")
 *     public static String greet(Actor actor, String who) { return "hello " + who; }
 * }
 * }</pre>
 * The first parameter may be the {@link Actor} running the command; the others take the
 * command's arguments in order (numbers and strings are converted to the parameter type), or
 * all of them when the method declares {@code List<Object>} or {@code Object...}. The method
 * runs on the actor's loop and may return a {@link java.util.concurrent.CompletionStage}.
 *
 * <p>Commands are found on the class path the first time an actor receives a command it does
 * not know (class files are scanned for this annotation, once per JVM), or at once with
 * {@link Pulsar#registerCommands(Class)}. Names are case-insensitive, like Redis commands.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Command {
    /** The command name; the method name when empty. */
    String value() default "";
}
