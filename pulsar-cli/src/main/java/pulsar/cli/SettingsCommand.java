package pulsar.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.Settings;

/**
 * {@code pulsar settings [--markdown]}: every setting of the registry with its scope, default
 * and meaning, from the one declaration that also makes the options of {@code pulsar run}, the
 * environment variables and {@code config get|set}.
 */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "List every setting: name, scope, default, meaning (from the settings registry).")
final class SettingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--markdown", description = "Print a Markdown table (as in docs/configuration.md).")
    boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Settings defaults = Settings.defaults();
        if (markdown) {
            out.println("| name | scope | default | option | environment | meaning |");
            out.println("| --- | --- | --- | --- | --- | --- |");
        }
        for (String name : Settings.names()) {
            String scope = Settings.scope(name).name().toLowerCase(java.util.Locale.ROOT);
            String def = shown(defaults.get(name));
            String option = "--" + name.replace('_', '-');
            String env = "PULSAR_" + name.toUpperCase(java.util.Locale.ROOT);
            if (markdown) {
                out.printf("| `%s` | %s | %s | `%s` | `%s` | %s |%n", name, scope, def.isEmpty() ? "" : "`" + def + "`", option, env,
                        Settings.description(name));
            } else {
                out.printf("%-28s %-11s %-12s %s%n", name, scope, def.isEmpty() ? "-" : def.length() > 12 ? def.substring(0, 9) + "..." : def,
                        Settings.description(name));
            }
        }
        out.flush();
        return 0;
    }

    private static String shown(Object v) {
        if (v instanceof Double d) {
            return (d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString()) + "s";
        }
        return String.valueOf(v);
    }
}
