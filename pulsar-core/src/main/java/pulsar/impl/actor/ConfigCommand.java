package pulsar.impl.actor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import pulsar.Settings;
import pulsar.impl.command.CommandContext;
import pulsar.impl.resp.RespSimple;

/**
 * {@code config get PATTERN...} and {@code config set NAME VALUE [NAME VALUE ...]} with Redis's
 * reply shapes: {@code get} answers a map under RESP3 and a flat name/value array under RESP2,
 * values as text; {@code set} answers {@code OK} or an error naming the setting and the value,
 * and changes nothing unless every pair is valid.
 */
public final class ConfigCommand {
    private ConfigCommand() {
    }

    static Object execute(AbstractActor actor, CommandContext ctx) {
        return execute(ctx, 0, actor.settings(), name -> actor.changeableAtRunTime(Settings.scope(name)),
                actor.isArbiter() ? "the arbiter" : "an actor",
                changed -> {
                    actor.reconfigure(changed);
                    return RespSimple.OK;
                });
    }

    /**
     * Serves {@code config get|set} whose subcommand is argument {@code first} of {@code ctx}, on
     * settings {@code current}; a valid {@code set} hands the changed settings to {@code apply},
     * whose result is the reply.
     *
     * @param changeable which settings (by name) may change at run time here
     * @param where what is configured, for errors ("an actor", "application echo")
     */
    public static Object execute(CommandContext ctx, int first, Settings current, java.util.function.Predicate<String> changeable,
                                 String where, java.util.function.Function<Settings, Object> apply) {
        if (ctx.args().size() <= first) {
            throw new IllegalArgumentException("wrong number of arguments for 'config' command");
        }
        String sub = ctx.string(first).toLowerCase(Locale.ROOT);
        return switch (sub) {
            case "get" -> get(current, ctx, first + 1);
            case "set" -> apply.apply(set(current, ctx, first + 1, changeable, where));
            default -> throw new IllegalArgumentException("unknown subcommand '" + ctx.string(first) + "'. Try CONFIG GET or CONFIG SET.");
        };
    }

    private static Object get(Settings s, CommandContext ctx, int from) {
        if (ctx.args().size() <= from) {
            throw new IllegalArgumentException("wrong number of arguments for 'config|get' command");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (int i = from; i < ctx.args().size(); i++) {
            patterns.add(glob(ctx.string(i)));
        }
        Map<String, Object> found = new LinkedHashMap<>();
        for (String name : Settings.names()) {
            if (patterns.stream().anyMatch(p -> p.matcher(name).matches())) {
                found.put(name, text(s.get(name)));
            }
        }
        if (ctx.protocol() >= 3) {
            return found;
        }
        List<Object> flat = new ArrayList<>(found.size() * 2);
        found.forEach((k, v) -> {
            flat.add(k);
            flat.add(v);
        });
        return flat;
    }

    private static Settings set(Settings current, CommandContext ctx, int from, java.util.function.Predicate<String> changeable,
                                String where) {
        int n = ctx.args().size() - from;
        if (n < 2 || n % 2 != 0) {
            throw new IllegalArgumentException("wrong number of arguments for 'config|set' command");
        }
        Settings changed = current;
        for (int i = from; i < ctx.args().size(); i += 2) {
            String name = ctx.string(i).toLowerCase(Locale.ROOT);
            Object value = ctx.args().get(i + 1);
            String text = value instanceof String v ? v : String.valueOf(value);
            if (!Settings.isSetting(name)) {
                throw new IllegalArgumentException("CONFIG SET failed: unknown setting '" + name + "' (value '" + text + "')");
            }
            if (!changeable.test(name)) {
                throw new IllegalArgumentException("CONFIG SET failed: setting '" + name + "' cannot change at run time on "
                        + where + " (value '" + text + "')");
            }
            try {
                changed = changed.with(name, text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CONFIG SET failed: " + e.getMessage());
            }
        }
        return changed;
    }

    /** A value as {@code config get} shows it: durations in seconds, without a needless {@code .0}. */
    static String text(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
        }
        return String.valueOf(v);
    }

    /** Redis's glob: {@code *}, {@code ?}, {@code [abc]}; everything else literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        re.append('[').append(glob.substring(i + 1, end).replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }
}
