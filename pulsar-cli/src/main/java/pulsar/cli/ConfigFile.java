package pulsar.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import pulsar.Settings;

/**
 * The settings of {@code pulsar run --config FILE}: a TOML file when its name ends in
 * {@code .toml} ({@code workers = 4}, {@code bind = "127.0.0.1:8060"}), else a properties file
 * ({@code name = value} per line, {@code #} comments). Setting names may be written with
 * {@code -} or {@code _}. Every error is an {@link IllegalArgumentException} with one line that
 * names the file (and, for a TOML syntax error, the line), the key and the value.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** {@code settings} with the file's settings applied. */
    static Settings apply(Settings settings, Path file) {
        return settings.withAll(read(file), origin(file));
    }

    /** The file's {@code setting name → value} pairs, names as the registry spells them. */
    static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(origin(file) + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(origin(file) + ": cannot read it: " + e);
        }
        return isToml(file) ? toml(file, text) : properties(file, text);
    }

    static boolean isToml(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".toml");
    }

    private static String origin(Path file) {
        return "config file " + file;
    }

    private static Map<String, String> properties(Path file, String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) { // a malformed \\uXXXX escape
            throw new IllegalArgumentException(origin(file) + ": " + oneLine(e.getMessage()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> values.put(name(k), p.getProperty(k)));
        return values;
    }

    private static Map<String, String> toml(Path file, String text) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String line = at != null && at.getLineNr() > 0 ? " line " + at.getLineNr() : "";
            throw new IllegalArgumentException(origin(file) + line + ": not valid TOML: " + oneLine(e.getOriginalMessage()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return values; // an empty file
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                throw new IllegalArgumentException(origin(file) + ": " + key + " is a table ([" + key + "] or " + key
                        + ".x = ...), but settings are top-level keys (name = value)");
            }
            if (v.isArray()) {
                throw new IllegalArgumentException(origin(file) + ": " + key + " = " + oneLine(v.toString())
                        + " is an array, but a setting is one value (a list, such as bind, is one comma-separated string)");
            }
            String twice = keys.put(name(key), key);
            if (twice != null) {
                throw new IllegalArgumentException(origin(file) + ": setting " + name(key) + " is given twice (" + twice + " and " + key + ")");
            }
            values.put(name(key), v.asText());
        }
        return values;
    }

    /** A key as the registry spells setting names: lower case, {@code _} for {@code -}. */
    private static String name(String key) {
        String n = key.trim().replace('-', '_').toLowerCase(Locale.ROOT);
        return Settings.isSetting(n) ? n : key.trim(); // an unknown key is reported as written
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
