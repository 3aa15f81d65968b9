package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The writer's array fast path (heap buffers) writes the same bytes as its path for direct
 * buffers, and the tagged forms the same bytes as the generic ones they stand for.
 */
class RespWriterBuffersTest {
    private static String both(Consumer<ByteBuf> write) {
        ByteBuf heap = Unpooled.buffer(1); // tiny: every write must grow it
        ByteBuf direct = Unpooled.directBuffer(1);
        heap.writeByte('x'); // not at index 0
        direct.writeByte('x');
        write.accept(heap);
        write.accept(direct);
        String h = heap.toString(StandardCharsets.UTF_8);
        String d = direct.toString(StandardCharsets.UTF_8);
        heap.release();
        direct.release();
        assertThat(h).isEqualTo(d);
        return h.substring(1);
    }

    @Test
    void integersOfEverySize_heapAndDirectAlike() {
        for (long v : new long[] {0, 9, 1023, 1024, 123_456_789, -5, -1024, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(both(b -> RespWriter.write(b, v, 3, null))).isEqualTo(":" + v + "\r\n");
        }
    }

    @Test
    void taggedPush_isThePushItStandsFor() {
        for (Object value : new Object[] {RespSimple.PONG, "héllo", 42L, null, List.of("a", 1L), new RespError("ERR no")}) {
            for (int protocol : new int[] {2, 3}) {
                String generic = both(b -> RespWriter.write(b, new RespPush(Arrays.asList("reply", 123_456L, value)), protocol, null));
                String tagged = both(b -> RespWriter.writeTaggedPush(b, RespWriter.bulk("reply"), 123_456L, value, protocol, null, 1 << 20));
                assertThat(tagged).isEqualTo(generic);
            }
        }
    }

    @Test
    void taggedCommand_isTheCommandItStandsFor() {
        Object[] args = {"x", 7L, 2.5, true, null, List.of(1L, "two")};
        String generic = both(b -> RespWriter.writeCommand(b, "TAG", Arrays.asList(99_999L, "echo", "x", 7L, 2.5, true, null, List.of(1L, "two")), null));
        String tagged = both(b -> RespWriter.writeTaggedCommand(b, RespWriter.bulk("TAG"), 99_999L, "echo", args, null, 1 << 20));
        assertThat(tagged).isEqualTo(generic);
    }

    @Test
    void aTaggedFrameTooLarge_leavesTheBufferAsItWas() {
        ByteBuf buf = Unpooled.buffer();
        RespWriter.write(buf, "first", 3, null);
        int before = buf.writerIndex();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                RespWriter.writeTaggedPush(buf, RespWriter.bulk("reply"), 1, "y".repeat(100), 3, null, 50))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                RespWriter.writeTaggedCommand(buf, RespWriter.bulk("TAG"), 1, "echo", new Object[] {"y".repeat(100)}, null, 50))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(buf.writerIndex()).isEqualTo(before);
        buf.release();
    }

    @Test
    void shortAsciiStrings_heapAndDirectAlike_andTheLimitAtTheSameByte() {
        for (String text : new String[] {"", "a", "\u007f", "\u0080", "é", "x".repeat(63), "x".repeat(64), "x".repeat(65)}) {
            String expected = "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
            assertThat(both(b -> RespWriter.write(b, text, 3, null))).isEqualTo(expected);
        }
        // Heap (array fast path) and direct buffers refuse a frame over maxBytes at the same size.
        for (int max = 1; max < 60; max++) {
            int limit = max;
            String heap = attempt(Unpooled.buffer(1), limit);
            String direct = attempt(Unpooled.directBuffer(1), limit);
            assertThat(heap).as("maxBytes %d", limit).isEqualTo(direct);
        }
    }

    /** The bytes of a small tagged command within {@code maxBytes}, or "too large". */
    private static String attempt(ByteBuf buf, int maxBytes) {
        try {
            RespWriter.writeTaggedCommand(buf, RespWriter.bulk("TAG"), 12, "echo", new Object[] {"abcdefghij"}, null, maxBytes);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            assertThat(buf.writerIndex()).isZero();
            return "too large";
        } finally {
            buf.release();
        }
    }
}
