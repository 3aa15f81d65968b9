package pulsar.impl.command;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pulsar.Actor;
import pulsar.Command;

/** A {@link Command}-annotated static method, with its arguments bound from the command's. */
final class AnnotatedCommand implements CommandHandler {
    private final String name;
    private final Method method;
    private final boolean takesActor;
    private final boolean takesAll;
    private final Class<?>[] params;

    private AnnotatedCommand(String name, Method method) {
        this.name = name;
        this.method = method;
        Class<?>[] types = method.getParameterTypes();
        this.takesActor = types.length > 0 && Actor.class.isAssignableFrom(types[0]);
        int first = takesActor ? 1 : 0;
        this.params = java.util.Arrays.copyOfRange(types, first, types.length);
        this.takesAll = params.length == 1 && (params[0] == List.class || params[0] == Object[].class);
    }

    static AnnotatedCommand of(Method m, Command c) {
        if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) {
            throw new IllegalArgumentException("@Command method " + m.getDeclaringClass().getName() + "." + m.getName()
                    + " must be public and static");
        }
        String name = (c.value().isBlank() ? m.getName() : c.value()).toLowerCase(Locale.ROOT);
        m.setAccessible(true);
        return new AnnotatedCommand(name, m);
    }

    String name() {
        return name;
    }

    @Override
    public Object execute(CommandContext ctx) throws Exception {
        List<Object> args = ctx.args();
        Object[] call = new Object[(takesActor ? 1 : 0) + params.length];
        int at = 0;
        if (takesActor) {
            call[at++] = ctx.actor();
        }
        if (takesAll) {
            call[at] = params[0] == List.class ? new ArrayList<>(args) : args.toArray();
        } else {
            if (args.size() != params.length) {
                throw new IllegalArgumentException("wrong number of arguments for '" + name + "' command: "
                        + args.size() + " given, " + params.length + " expected");
            }
            for (int i = 0; i < params.length; i++) {
                call[at++] = convert(args.get(i), params[i], i);
            }
        }
        return method.invoke(null, call);
    }

    private Object convert(Object v, Class<?> type, int i) {
        if (v == null) {
            if (type.isPrimitive()) {
                throw bad(v, type, i);
            }
            return null;
        }
        if (type.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            if (type == int.class || type == Integer.class) return Math.toIntExact(n.longValue());
            if (type == long.class || type == Long.class) return n.longValue();
            if (type == double.class || type == Double.class) return n.doubleValue();
            if (type == float.class || type == Float.class) return n.floatValue();
            if (type == short.class || type == Short.class) return (short) n.longValue();
            if (type == String.class) return n.toString();
        }
        if (v instanceof String s) {
            try {
                if (type == int.class || type == Integer.class) return Integer.parseInt(s);
                if (type == long.class || type == Long.class) return Long.parseLong(s);
                if (type == double.class || type == Double.class) return Double.parseDouble(s);
                if (type == boolean.class || type == Boolean.class) return Boolean.parseBoolean(s);
            } catch (NumberFormatException e) {
                throw bad(v, type, i);
            }
        }
        if (v instanceof Boolean b && type == boolean.class) {
            return b;
        }
        throw bad(v, type, i);
    }

    private IllegalArgumentException bad(Object v, Class<?> type, int i) {
        return new IllegalArgumentException("'" + name + "' argument " + (i + 1) + ": cannot use "
                + CommandContext.describe(v) + " as " + type.getSimpleName());
    }
}
