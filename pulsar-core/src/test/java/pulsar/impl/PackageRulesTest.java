package pulsar.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the imports of every main source file
 * of pulsar-core: arrows point one way, down the layers.
 */
class PackageRulesTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?pulsar\\.impl\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern FQN = Pattern.compile("\\bpulsar\\.impl\\.([a-z]+)\\.[A-Z]");

    /** Which implementation packages each package may use; the API only through facades. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("api", Set.of("runtime", "mailbox", "loop", "socket")),
            Map.entry("runtime", Set.of("app", "arbiter", "supervise", "actor", "command", "mailbox", "loop", "resp", "serial")),
            Map.entry("app", Set.of("socket", "arbiter", "supervise", "actor", "command", "mailbox", "loop", "resp", "serial")),
            Map.entry("arbiter", Set.of("supervise", "actor", "command", "mailbox", "loop", "resp", "serial")),
            Map.entry("supervise", Set.of("actor", "command", "mailbox", "loop", "resp", "serial")),
            Map.entry("actor", Set.of("command", "mailbox", "loop", "resp", "serial")),
            Map.entry("mailbox", Set.of("loop", "resp", "serial")),
            Map.entry("command", Set.of("resp")),
            Map.entry("loop", Set.<String>of()),
            Map.entry("resp", Set.<String>of()),
            Map.entry("serial", Set.<String>of()),
            Map.entry("socket", Set.of("loop")));

    @Test
    void everyImport_followsTheLayers() throws IOException {
        Path root = Path.of("src/main/java/pulsar");
        List<String> broken = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = root.relativize(f);
                String from = rel.getNameCount() > 2 && rel.getName(0).toString().equals("impl") ? rel.getName(1).toString() : "api";
                Set<String> allowed = ALLOWED.get(from);
                assertThat(allowed).as("package %s is in docs/architecture.md", from).isNotNull();
                String text = Files.readString(f);
                for (Pattern p : List.of(IMPORT, FQN)) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        String to = m.group(1);
                        if (!to.equals(from) && !allowed.contains(to)) {
                            broken.add(rel + " uses pulsar.impl." + to);
                        }
                    }
                }
            }
        }
        assertThat(broken).as("imports against docs/architecture.md").isEmpty();
    }
}
