package pulsar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrinterTest {
    private static String print(Object value) {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        Printer.reply(out, value);
        out.flush();
        return s.toString();
    }

    @Test
    void map_alignsKeysAndIndentsNestedMaps() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("aid", "abc");
        info.put("uptime", 1.5);
        info.put("exited", List.of());
        info.put("settings", Map.of("bind", "127.0.0.1"));

        assertThat(print(info)).isEqualTo("""
                aid     abc
                uptime  1.5
                exited  (none)
                settings
                  bind  127.0.0.1
                """);
    }

    @Test
    void listOfMaps_isATable() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("aid", "a1");
        a.put("last_notify_age", 0.25);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("aid", "b22");
        b.put("last_notify_age", 10.0);

        assertThat(print(List.of(a, b))).isEqualTo("""
                AID  LAST NOTIFY AGE
                a1   0.25
                b22  10
                """);
    }

    @Test
    void scalarsAndLists_readLikeRedisCli() {
        assertThat(print(null)).isEqualTo("(nil)\n");
        assertThat(print("PONG")).isEqualTo("PONG\n");
        assertThat(print(List.of("a", 2L))).isEqualTo("1) a\n2) 2\n");
        assertThat(print(new byte[3])).isEqualTo("(3 bytes)\n");
    }
}
