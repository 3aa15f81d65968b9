package pulsar.impl.command;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import pulsar.Command;

/**
 * The commands every actor of a JVM knows: the built-ins and the {@link Command}-annotated
 * methods. Annotated methods are registered explicitly or found by {@link CommandScanner} the
 * first time a name is missing. One per JVM, owned by its runtime.
 */
public final class CommandRegistry {
    private final Map<String, CommandHandler> commands = new ConcurrentHashMap<>();
    private volatile boolean scanned;

    /** A registry holding the built-in commands. */
    public CommandRegistry() {
        Builtins.registerAll(this);
    }

    /** Registers a command under a case-insensitive name, replacing any earlier one. */
    public void register(String name, CommandHandler handler) {
        commands.put(name.toLowerCase(Locale.ROOT), handler);
    }

    /** Registers every {@link Command} method of {@code type}; returns how many. */
    public int registerAnnotated(Class<?> type) {
        int n = 0;
        for (var m : type.getDeclaredMethods()) {
            Command c = m.getAnnotation(Command.class);
            if (c != null) {
                AnnotatedCommand command = AnnotatedCommand.of(m, c);
                commands.putIfAbsent(command.name(), command);
                n++;
            }
        }
        return n;
    }

    /** The command of that (lower-case) name, scanning the class path once if it is unknown. */
    public CommandHandler lookup(String name) {
        CommandHandler h = commands.get(name);
        if (h == null && !scanned) {
            synchronized (this) {
                if (!scanned) {
                    CommandScanner.scanClassPath().forEach(this::registerAnnotated);
                    scanned = true;
                }
            }
            h = commands.get(name);
        }
        return h;
    }

    /** The names of the commands known so far. */
    public Set<String> names() {
        return new TreeSet<>(commands.keySet());
    }
}
