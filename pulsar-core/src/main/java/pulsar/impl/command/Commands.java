package pulsar.impl.command;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.Command;

/**
 * The commands every actor knows: the built-ins and the {@link Command}-annotated methods.
 * Annotated methods are registered explicitly or found by {@link CommandScanner} the first time
 * a name is missing.
 */
public final class Commands {
    private static final Map<String, CommandHandler> GLOBAL = new ConcurrentHashMap<>();
    private static volatile boolean scanned;

    static {
        Builtins.registerAll();
    }

    private Commands() {
    }

    /** Registers a command under a case-insensitive name, replacing any earlier one. */
    public static void register(String name, CommandHandler handler) {
        GLOBAL.put(name.toLowerCase(Locale.ROOT), handler);
    }

    /** Registers every {@link Command} method of {@code type}. */
    public static int registerAnnotated(Class<?> type) {
        int n = 0;
        for (var m : type.getDeclaredMethods()) {
            Command c = m.getAnnotation(Command.class);
            if (c != null) {
                AnnotatedCommand command = AnnotatedCommand.of(m, c);
                GLOBAL.putIfAbsent(command.name(), command);
                n++;
            }
        }
        return n;
    }

    /** The command of that (lower-case) name, scanning the class path once if it is unknown. */
    public static CommandHandler lookup(String name) {
        CommandHandler h = GLOBAL.get(name);
        if (h == null && !scanned) {
            synchronized (Commands.class) {
                if (!scanned) {
                    CommandScanner.scanClassPath().forEach(Commands::registerAnnotated);
                    scanned = true;
                }
            }
            h = GLOBAL.get(name);
        }
        return h;
    }

    /** The names of the commands known so far. */
    public static Set<String> names() {
        return new TreeSet<>(GLOBAL.keySet());
    }
}
