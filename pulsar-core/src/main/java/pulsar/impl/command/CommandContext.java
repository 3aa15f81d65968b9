package pulsar.impl.command;

import java.util.List;
import pulsar.Actor;

/**
 * One command call: the actor it runs in, its decoded arguments and the caller's RESP version.
 *
 * @param actor the actor running the command
 * @param name the command name, lower case
 * @param args the arguments
 * @param protocol 2 or 3
 */
public record CommandContext(Actor actor, String name, List<Object> args, int protocol) {
    /** Fails with a clear message unless there are between {@code min} and {@code max} arguments. */
    public void arity(int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new IllegalArgumentException("wrong number of arguments for '" + name + "' command");
        }
    }

    /** Argument {@code i} as a string. */
    public String string(int i) {
        Object v = args.get(i);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("'" + name + "' argument " + (i + 1) + " must be a string, not " + describe(v));
    }

    /** Argument {@code i} as an integer: a RESP integer, or text such as {@code redis-cli} sends. */
    public long integer(int i) {
        Object v = args.get(i);
        if (v instanceof Long || v instanceof Integer) {
            return ((Number) v).longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' argument " + (i + 1) + " must be an integer, not '" + v + "'");
        }
    }

    static String describe(Object v) {
        return v == null ? "null" : v.getClass().getName();
    }
}
