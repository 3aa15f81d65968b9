package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pulsar.impl.resp.RespTesting.written;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact bytes for every type under both protocols. */
class RespWriterTest {

    @Test
    void nulls() {
        assertThat(written(null, 2)).isEqualTo("$-1\r\n");
        assertThat(written(null, 3)).isEqualTo("_\r\n");
        assertThat(written(RespNull.INSTANCE, 2)).isEqualTo("$-1\r\n");
        assertThat(written(RespNull.INSTANCE, 3)).isEqualTo("_\r\n");
    }

    @Test
    void stringsAreUtf8BulkStrings() {
        assertThat(written("hello", 2)).isEqualTo("$5\r\nhello\r\n");
        assertThat(written("", 3)).isEqualTo("$0\r\n\r\n");
        assertThat(written("héllo", 3)).isEqualTo("$6\r\nhéllo\r\n");
        assertThat(written(new StringBuilder("sb"), 2)).isEqualTo("$2\r\nsb\r\n");
        assertThat(written("a\r\nb", 2)).isEqualTo("$4\r\na\r\nb\r\n"); // bulk is length-prefixed, CRLF is safe
    }

    @Test
    void simpleStringsIncludingConstants() {
        assertThat(written(RespSimple.OK, 2)).isEqualTo("+OK\r\n");
        assertThat(written(RespSimple.PONG, 3)).isEqualTo("+PONG\r\n");
        assertThat(written(new RespSimple("QUEUED"), 3)).isEqualTo("+QUEUED\r\n");
        assertThat(written(new RespSimple("OK"), 3)).isEqualTo("+OK\r\n");
    }

    @Test
    void errors() {
        assertThat(written(new RespError("ERR unknown command 'FOO'"), 2)).isEqualTo("-ERR unknown command 'FOO'\r\n");
    }

    @Test
    void crlfInErrorsAndSimpleStringsCannotInjectFrames() {
        assertThat(written(new RespError("ERR bad\r\n+OK"), 3)).isEqualTo("-ERR bad  +OK\r\n");
        assertThat(written(new RespError("ERR a\nb\rc"), 2)).isEqualTo("-ERR a b c\r\n");
        assertThat(written(new RespSimple("x\r\n:1"), 3)).isEqualTo("+x  :1\r\n");
    }

    @Test
    void integersOfEveryWidth() {
        assertThat(written(42L, 2)).isEqualTo(":42\r\n");
        assertThat(written(7, 3)).isEqualTo(":7\r\n");
        assertThat(written((short) -3, 3)).isEqualTo(":-3\r\n");
        assertThat(written((byte) 127, 3)).isEqualTo(":127\r\n");
        assertThat(written(1023L, 3)).isEqualTo(":1023\r\n");
        assertThat(written(1024L, 3)).isEqualTo(":1024\r\n");
        assertThat(written(-1L, 3)).isEqualTo(":-1\r\n");
        assertThat(written(Long.MAX_VALUE, 3)).isEqualTo(":9223372036854775807\r\n");
        assertThat(written(Long.MIN_VALUE, 3)).isEqualTo(":-9223372036854775808\r\n");
    }

    @Test
    void integersMatchLongToStringAcrossMagnitudes() {
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 3; v = v * 3 + 1) {
            assertThat(written(v, 3)).isEqualTo(":" + v + "\r\n");
            assertThat(written(-v, 3)).isEqualTo(":" + -v + "\r\n");
        }
    }

    @Test
    void doubles() {
        assertThat(written(1.5, 3)).isEqualTo(",1.5\r\n");
        assertThat(written(1.1f, 3)).isEqualTo(",1.1\r\n");
        assertThat(written(Double.POSITIVE_INFINITY, 3)).isEqualTo(",inf\r\n");
        assertThat(written(Double.NEGATIVE_INFINITY, 3)).isEqualTo(",-inf\r\n");
        assertThat(written(Double.NaN, 3)).isEqualTo(",nan\r\n");
        assertThat(written(1.5, 2)).isEqualTo("$3\r\n1.5\r\n");
        assertThat(written(1e20, 2)).isEqualTo("$6\r\n1.0E20\r\n");
        assertThat(written(Float.NEGATIVE_INFINITY, 2)).isEqualTo("$4\r\n-inf\r\n");
    }

    @Test
    void booleans() {
        assertThat(written(true, 3)).isEqualTo("#t\r\n");
        assertThat(written(false, 3)).isEqualTo("#f\r\n");
        assertThat(written(true, 2)).isEqualTo(":1\r\n");
        assertThat(written(false, 2)).isEqualTo(":0\r\n");
    }

    @Test
    void bigIntegers() {
        BigInteger big = new BigInteger("123456789012345678901234567890");
        assertThat(written(big, 3)).isEqualTo("(123456789012345678901234567890\r\n");
        assertThat(written(big, 2)).isEqualTo("$30\r\n123456789012345678901234567890\r\n");
    }

    @Test
    void rawAndTaggedBytesAreBulkStringsOfTheirBytes() {
        ByteBuf out = Unpooled.buffer();
        RespWriter.write(out, new byte[] {0, 1, 2}, 3, null);
        RespWriter.write(out, new TaggedBytes(new byte[] {(byte) 0xFF, 1, 9}), 2, null);
        byte[] actual = new byte[out.readableBytes()];
        out.readBytes(actual);
        assertThat(actual).containsExactly('$', '3', '\r', '\n', 0, 1, 2, '\r', '\n',
                '$', '3', '\r', '\n', (byte) 0xFF, 1, 9, '\r', '\n');
        out.release();
    }

    @Test
    void listsArraysAndOtherCollections() {
        assertThat(written(List.of("a", 1L), 2)).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(written(new Object[] {"a", null}, 3)).isEqualTo("*2\r\n$1\r\na\r\n_\r\n");
        assertThat(written(new ArrayDeque<>(List.of(1, 2)), 3)).isEqualTo("*2\r\n:1\r\n:2\r\n");
        assertThat(written(List.of(), 3)).isEqualTo("*0\r\n");
        assertThat(written(List.of(List.of(1)), 3)).isEqualTo("*1\r\n*1\r\n:1\r\n");
    }

    @Test
    void setsAreRespThreeSetsOrArrays() {
        var set = new LinkedHashSet<>(List.of("x", "y"));
        assertThat(written(set, 3)).isEqualTo("~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
        assertThat(written(set, 2)).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    }

    @Test
    void mapsAreRespThreeMapsOrFlatArrays() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", 1);
        map.put(2, null);
        assertThat(written(map, 3)).isEqualTo("%2\r\n$1\r\nk\r\n:1\r\n:2\r\n_\r\n");
        assertThat(written(map, 2)).isEqualTo("*4\r\n$1\r\nk\r\n:1\r\n:2\r\n$-1\r\n");
    }

    @Test
    void pushesAreRespThreePushesOrArrays() {
        RespPush push = new RespPush(List.of("message", "ch"));
        assertThat(written(push, 3)).isEqualTo(">2\r\n$7\r\nmessage\r\n$2\r\nch\r\n");
        assertThat(written(push, 2)).isEqualTo("*2\r\n$7\r\nmessage\r\n$2\r\nch\r\n");
    }

    @Test
    void otherObjectsGoThroughTheObjectEncoder() {
        record Point(int x, int y) { }
        List<Object> seen = new ArrayList<>();
        ObjectEncoder encoder = v -> {
            seen.add(v);
            return new byte[] {(byte) 0xFF, 0x01, 'p'};
        };
        ByteBuf out = Unpooled.buffer();
        RespWriter.write(out, List.of(new Point(1, 2)), 3, encoder);
        assertThat(seen).containsExactly(new Point(1, 2));
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("*1\r\n$3\r\n\u00ff\u0001p\r\n");
        out.release();
    }

    @Test
    void commandFrameIsAnArrayOfNameAndRespThreeTypedArgs() {
        ByteBuf out = Unpooled.buffer();
        RespWriter.writeCommand(out, "SEND", Arrays.asList("actor", 5, true, null, 2.5), null);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("*6\r\n$4\r\nSEND\r\n$5\r\nactor\r\n:5\r\n#t\r\n_\r\n,2.5\r\n");
        out.clear();
        RespWriter.writeCommand(out, "PING", List.of(), null);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("*1\r\n$4\r\nPING\r\n");
        out.release();
    }

    @Test
    void failedWriteLeavesTheBufferAsItWas() {
        ByteBuf out = Unpooled.buffer();
        RespWriter.write(out, "keep", 3, null);
        int before = out.writerIndex();
        ObjectEncoder refusing = v -> {
            throw new IllegalArgumentException("cannot send " + v.getClass().getName());
        };
        assertThatThrownBy(() -> RespWriter.write(out, List.of("a", new Object()), 3, refusing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
        assertThat(out.writerIndex()).isEqualTo(before);
        assertThatThrownBy(() -> RespWriter.writeCommand(out, "X", List.of(new Object()), refusing))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.writerIndex()).isEqualTo(before);
        out.release();
    }

    @Test
    void missingEncoderAndNullResultAreReportedClearly() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> RespWriter.write(out, new Object(), 3, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ObjectEncoder");
        assertThatThrownBy(() -> RespWriter.write(out, new Object(), 3, v -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned null");
        out.release();
    }

    @Test
    void badProtocolAndSelfContainingCollectionsAreRejected() {
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> RespWriter.write(out, "x", 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        assertThatThrownBy(() -> RespWriter.write(out, loop, 3, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        assertThat(out.writerIndex()).isZero();
        out.release();
    }
}
