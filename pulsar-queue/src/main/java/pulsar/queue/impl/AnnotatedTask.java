package pulsar.queue.impl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pulsar.queue.Task;
import pulsar.queue.TaskContext;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskFunction;

/** A {@link Task} method, its parameters bound from the task's JSON arguments. */
final class AnnotatedTask implements TaskFunction {
    private final String name;
    private final Method method;
    private final boolean takesContext;
    private final boolean takesAll;
    private final Class<?>[] types;
    private final Type[] generic;

    private AnnotatedTask(String name, Method method) {
        this.name = name;
        this.method = method;
        Class<?>[] all = method.getParameterTypes();
        Type[] allGeneric = method.getGenericParameterTypes();
        this.takesContext = all.length > 0 && all[0] == TaskContext.class;
        int first = takesContext ? 1 : 0;
        this.types = Arrays.copyOfRange(all, first, all.length);
        this.generic = Arrays.copyOfRange(allGeneric, first, allGeneric.length);
        this.takesAll = types.length == 1 && (types[0] == List.class || types[0] == Object[].class);
    }

    static AnnotatedTask of(Method m, Task t) {
        if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) {
            throw new IllegalArgumentException("@Task method " + m.getDeclaringClass().getName() + "." + m.getName()
                    + " must be public and static");
        }
        m.setAccessible(true);
        return new AnnotatedTask(t.value().isBlank() ? m.getName() : t.value(), m);
    }

    String name() {
        return name;
    }

    @Override
    public Object apply(TaskContext context, List<Object> args) throws Exception {
        Object[] call = new Object[(takesContext ? 1 : 0) + types.length];
        int at = 0;
        if (takesContext) {
            call[at++] = context;
        }
        if (takesAll) {
            call[at] = types[0] == List.class ? new ArrayList<>(args) : args.toArray();
        } else {
            if (args.size() != types.length) {
                throw new TaskException(TaskFailure.BAD_ARGUMENTS, "task '" + name + "' takes " + types.length
                        + " arguments, " + args.size() + " given");
            }
            for (int i = 0; i < types.length; i++) {
                call[at++] = convert(args.get(i), i);
            }
        }
        try {
            return method.invoke(null, call);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private Object convert(Object v, int i) {
        Class<?> type = types[i];
        if (v == null) {
            if (type.isPrimitive()) {
                throw bad(v, i);
            }
            return null;
        }
        if (type.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            if (type == long.class) return n.longValue();
            if (type == int.class && n.longValue() == n.intValue()) return n.intValue();
            if (type == double.class) return n.doubleValue();
        }
        if (v instanceof Boolean b && type == boolean.class) {
            return b;
        }
        try {
            return Json.convert(v, generic[i]);
        } catch (IllegalArgumentException e) {
            throw bad(v, i);
        }
    }

    private TaskException bad(Object v, int i) {
        String shown = String.valueOf(Json.writeValueOrNull(v));
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new TaskException(TaskFailure.BAD_ARGUMENTS, "task '" + name + "' argument " + (i + 1) + ": cannot use "
                + shown + " as " + types[i].getSimpleName());
    }
}
