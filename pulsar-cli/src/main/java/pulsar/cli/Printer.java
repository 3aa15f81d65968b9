package pulsar.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints replies for people: a map as aligned {@code key  value} lines, nested maps indented,
 * a list of maps as a table, other lists numbered as {@code redis-cli} does.
 */
final class Printer {
    private Printer() {
    }

    /** Prints any reply value. */
    static void reply(PrintWriter out, Object value) {
        if (value instanceof Map<?, ?> map) {
            map(out, map, "");
        } else if (isTable(value)) {
            table(out, (List<?>) value, "");
        } else if (value instanceof Collection<?> list) {
            if (list.isEmpty()) {
                out.println("(empty list)");
            }
            int i = 1;
            for (Object item : list) {
                out.println(i++ + ") " + scalar(item));
            }
        } else {
            out.println(value == null ? "(nil)" : scalar(value));
        }
    }

    /** Prints a map, one entry a line, keys aligned. */
    static void map(PrintWriter out, Map<?, ?> map, String indent) {
        int width = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof Map) && !isTable(e.getValue())) {
                width = Math.max(width, String.valueOf(e.getKey()).length());
            }
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                out.println(indent + key);
                map(out, nested, indent + "  ");
            } else if (isTable(v)) {
                List<?> rows = (List<?>) v;
                out.println(indent + key + " (" + rows.size() + ")");
                table(out, rows, indent + "  ");
            } else {
                out.println(indent + pad(key, width) + "  " + scalar(v));
            }
        }
    }

    /** Prints maps as rows of a table whose columns are their keys. */
    static void table(PrintWriter out, List<?> rows, String indent) {
        Set<String> columns = new LinkedHashSet<>();
        for (Object row : rows) {
            ((Map<?, ?>) row).keySet().forEach(k -> columns.add(String.valueOf(k)));
        }
        List<String> names = new ArrayList<>(columns);
        int[] widths = new int[names.size()];
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[names.size()];
        for (int i = 0; i < names.size(); i++) {
            header[i] = names.get(i).replace('_', ' ').toUpperCase(Locale.ROOT);
        }
        cells.add(header);
        for (Object row : rows) {
            Map<?, ?> m = (Map<?, ?>) row;
            String[] line = new String[names.size()];
            for (int i = 0; i < names.size(); i++) {
                line[i] = m.containsKey(names.get(i)) ? scalar(m.get(names.get(i))) : "";
            }
            cells.add(line);
        }
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < line.length; i++) {
                b.append(i == line.length - 1 ? line[i] : pad(line[i], widths[i]) + "  ");
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** One value on one line. */
    static String scalar(Object v) {
        if (v == null) {
            return "(nil)";
        }
        if (v instanceof Double d && Double.isFinite(d)) {
            // Seconds and ratios: three decimals are plenty, trailing zeros are noise.
            return new BigDecimal(String.format(Locale.ROOT, "%.3f", d)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof String s) {
            return s.isEmpty() ? "-" : s.replace("\r", "").replace('\n', ' ');
        }
        if (v instanceof byte[] b) {
            return "(" + b.length + " bytes)";
        }
        if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                return "(none)";
            }
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(scalar(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + "=" + scalar(x)));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(v);
    }

    private static boolean isTable(Object v) {
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            return false;
        }
        for (Object row : list) {
            if (!(row instanceof Map)) {
                return false;
            }
        }
        return true;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
