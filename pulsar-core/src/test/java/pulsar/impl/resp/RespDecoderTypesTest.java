package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static pulsar.impl.resp.RespTesting.decodeOne;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RespDecoderTypesTest {

    @Test
    void simpleStringIsString() {
        assertThat(decodeOne("+OK\r\n")).isEqualTo("OK");
        assertThat(decodeOne("+\r\n")).isEqualTo("");
    }

    @Test
    void errorKeepsFullMessageAndExposesPrefix() {
        Object v = decodeOne("-WRONGTYPE Operation against a key\r\n");
        assertThat(v).isEqualTo(new RespError("WRONGTYPE Operation against a key"));
        assertThat(((RespError) v).prefix()).isEqualTo("WRONGTYPE");
        assertThat(new RespError("ERR").prefix()).isEqualTo("ERR");
    }

    @Test
    void integersIncludingExtremes() {
        assertThat(decodeOne(":0\r\n")).isEqualTo(0L);
        assertThat(decodeOne(":-42\r\n")).isEqualTo(-42L);
        assertThat(decodeOne(":+7\r\n")).isEqualTo(7L);
        assertThat(decodeOne(":9223372036854775807\r\n")).isEqualTo(Long.MAX_VALUE);
        assertThat(decodeOne(":-9223372036854775808\r\n")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void bulkStringsAreUtf8Strings() {
        assertThat(decodeOne("$5\r\nhello\r\n")).isEqualTo("hello");
        assertThat(decodeOne("$0\r\n\r\n")).isEqualTo("");
        assertThat(decodeOne("$7\r\nhé\r\nx!\r\n")).isEqualTo("hé\r\nx!"); // payload may hold CRLF
    }

    @Test
    void bulkStartingWithMarkerIsTaggedBytesWithWholePayload() {
        byte[] payload = {(byte) 0xFF, 0x01, 0x00, '\r', '\n', 0x7F};
        var ch = RespTesting.channel();
        var buf = RespTesting.bytes("$6\r\n");
        buf.writeBytes(payload).writeBytes(new byte[] {'\r', '\n'});
        ch.writeInbound(buf);
        Object v = ch.readInbound();
        assertThat(v).isInstanceOf(TaggedBytes.class);
        assertThat(((TaggedBytes) v).bytes()).containsExactly(payload);
        ch.finishAndReleaseAll();
    }

    @Test
    void singleMarkerByteIsNotTagged() {
        var ch = RespTesting.channel();
        var buf = RespTesting.bytes("$1\r\n").writeByte(0xFF).writeBytes(new byte[] {'\r', '\n'});
        ch.writeInbound(buf);
        assertThat(ch.<Object>readInbound()).isInstanceOf(String.class);
        ch.finishAndReleaseAll();
    }

    @Test
    void topLevelNullsAreRespNullAndNestedNullsAreNull() {
        assertThat(decodeOne("$-1\r\n")).isSameAs(RespNull.INSTANCE);
        assertThat(decodeOne("*-1\r\n")).isSameAs(RespNull.INSTANCE);
        assertThat(decodeOne("_\r\n")).isSameAs(RespNull.INSTANCE);
        assertThat(decodeOne("*3\r\n$-1\r\n_\r\n*-1\r\n")).isEqualTo(Arrays.asList(null, null, null));
    }

    @Test
    void arraysNestAndAreArrayLists() {
        Object v = decodeOne("*3\r\n:1\r\n*2\r\n+a\r\n$1\r\nb\r\n*0\r\n");
        assertThat(v).isInstanceOf(java.util.ArrayList.class)
                .isEqualTo(List.of(1L, List.of("a", "b"), List.of()));
    }

    @Test
    void doublesIncludingSpecialValues() {
        assertThat(decodeOne(",1.5\r\n")).isEqualTo(1.5);
        assertThat(decodeOne(",-2\r\n")).isEqualTo(-2.0);
        assertThat(decodeOne(",1.0E10\r\n")).isEqualTo(1.0e10);
        assertThat(decodeOne(",inf\r\n")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(decodeOne(",-inf\r\n")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) decodeOne(",nan\r\n")).isNaN();
    }

    @Test
    void booleansAndBigNumbers() {
        assertThat(decodeOne("#t\r\n")).isEqualTo(true);
        assertThat(decodeOne("#f\r\n")).isEqualTo(false);
        assertThat(decodeOne("(3492890328409238509324850943850943825024385\r\n"))
                .isEqualTo(new BigInteger("3492890328409238509324850943850943825024385"));
        assertThat(decodeOne("(-1\r\n")).isEqualTo(BigInteger.ONE.negate());
    }

    @Test
    void verbatimStringDropsFormatPrefix() {
        assertThat(decodeOne("=15\r\ntxt:Some string\r\n")).isEqualTo("Some string");
        assertThat(decodeOne("=4\r\nmkd:\r\n")).isEqualTo("");
    }

    @Test
    void mapsKeepOrderAndAreLinkedHashMaps() {
        Object v = decodeOne("%3\r\n+z\r\n:1\r\n+a\r\n_\r\n:5\r\n*1\r\n+x\r\n");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("z", 1L);
        expected.put("a", null);
        expected.put(5L, List.of("x"));
        @SuppressWarnings("unchecked") Map<Object, Object> map = (Map<Object, Object>) v;
        assertThat(map).containsExactlyEntriesOf(expected);
    }

    @Test
    void setsKeepOrderAndAreLinkedHashSets() {
        Object v = decodeOne("~3\r\n+b\r\n+a\r\n+b\r\n");
        assertThat(v).isInstanceOf(LinkedHashSet.class);
        assertThat(new java.util.ArrayList<>((Set<?>) v)).isEqualTo(List.of("b", "a"));
    }

    @Test
    void pushIsRespPush() {
        assertThat(decodeOne(">3\r\n$7\r\nmessage\r\n+chan\r\n:1\r\n"))
                .isEqualTo(new RespPush(List.of("message", "chan", 1L)));
    }

    @Test
    void blobErrorIsRespError() {
        assertThat(decodeOne("!21\r\nSYNTAX invalid syntax\r\n")).isEqualTo(new RespError("SYNTAX invalid syntax"));
    }

    @Test
    void attributesAreDiscardedAtTopLevelAndInsideAggregates() {
        assertThat(decodeOne("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n"))
                .isEqualTo(List.of(2039123L, 9543892L));
        assertThat(decodeOne("*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n")).isEqualTo(List.of(1L, 2L));
        assertThat(decodeOne("|0\r\n+x\r\n")).isEqualTo("x");
    }

    @Test
    void emptyAggregatesOfEveryKind() {
        assertThat(decodeOne("*0\r\n")).isEqualTo(List.of());
        assertThat(decodeOne("%0\r\n")).isEqualTo(Map.of());
        assertThat(decodeOne("~0\r\n")).isEqualTo(Set.of());
        assertThat(decodeOne(">0\r\n")).isEqualTo(new RespPush(List.of()));
    }
}
