package pulsar.impl.command;

import java.util.Map;

/** Renders {@code info} as Redis-style text ({@code # Section} and {@code key:value} lines) for RESP2 clients. */
public final class InfoText {
    private InfoText() {
    }

    /** The text {@code info} answers a RESP2 client with. */
    public static String render(Map<String, Object> info) {
        StringBuilder out = new StringBuilder("# Actor\r\n");
        StringBuilder sections = new StringBuilder();
        info.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                sections.append("\r\n# ").append(k).append("\r\n");
                m.forEach((k2, v2) -> line(sections, String.valueOf(k2), v2));
            } else if (v instanceof java.util.List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
                sections.append("\r\n# ").append(k).append("\r\n");
                int i = 0;
                for (Object item : list) {
                    StringBuilder flat = new StringBuilder();
                    ((Map<?, ?>) item).forEach((k2, v2) -> flat.append(flat.isEmpty() ? "" : ",").append(k2).append('=').append(v2));
                    sections.append(k).append(i++).append(':').append(flat).append("\r\n");
                }
            } else {
                line(out, k, v);
            }
        });
        return out.append(sections).toString();
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(':').append(value == null ? "" : value.toString().replace("\r", " ").replace("\n", " ")).append("\r\n");
    }
}
