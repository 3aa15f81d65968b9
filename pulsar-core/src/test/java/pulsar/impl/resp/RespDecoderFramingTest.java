package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static pulsar.impl.resp.RespTesting.bytes;
import static pulsar.impl.resp.RespTesting.channel;
import static pulsar.impl.resp.RespTesting.drain;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames split across reads and many frames per read. */
class RespDecoderFramingTest {
    private static final String MIXED = "*4\r\n$5\r\nhello\r\n%1\r\n+k\r\n~2\r\n:1\r\n,2.5\r\n"
            + "|1\r\n+a\r\n+b\r\n#t\r\n=8\r\ntxt:verb\r\n_\r\n";

    @Test
    void frameFedOneByteAtATime() {
        EmbeddedChannel ch = channel();
        byte[] all = MIXED.getBytes(StandardCharsets.UTF_8);
        for (byte b : all) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Object> out = drain(ch);
        assertThat(out).containsExactly(
                List.of("hello", Map.of("k", java.util.Set.of(1L, 2.5)), true, "verb"),
                RespNull.INSTANCE);
        ch.finishAndReleaseAll();
    }

    @Test
    void everySplitPointDecodesTheSame() {
        String frame = "*3\r\n$3\r\nfoo\r\n:-12\r\n%1\r\n+k\r\n_\r\n";
        byte[] all = frame.getBytes(StandardCharsets.UTF_8);
        Object expected = RespTesting.decodeOne(frame);
        for (int split = 1; split < all.length; split++) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(Unpooled.wrappedBuffer(all, 0, split));
            assertThat(drain(ch)).as("after %d bytes", split).isEmpty();
            ch.writeInbound(Unpooled.wrappedBuffer(all, split, all.length - split));
            assertThat(drain(ch)).as("split at %d", split).containsExactly(expected);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void thousandPipelinedFramesInOneBuffer() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("*2\r\n$3\r\nGET\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(sb.toString()));
        List<Object> out = drain(ch);
        assertThat(out).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(out.get(i)).isEqualTo(List.of("GET", Integer.toString(i)));
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedFramesEndingMidFrameKeepTheRemainder() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("+A\r\n:1\r\n$5\r\nhel"));
        assertThat(drain(ch)).containsExactly("A", 1L);
        ch.writeInbound(bytes("lo\r\n+B\r\n"));
        assertThat(drain(ch)).containsExactly("hello", "B");
        ch.finishAndReleaseAll();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void megabyteBulkInKilobyteChunksDecodesQuickly() {
        byte[] payload = new byte[1024 * 1024];
        new Random(42).nextBytes(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + (payload[i] & 0x0F)); // ASCII, so the String compare is exact
        }
        ByteBuf whole = Unpooled.buffer();
        whole.writeCharSequence("$" + payload.length + "\r\n", StandardCharsets.US_ASCII);
        whole.writeBytes(payload).writeBytes(new byte[] {'\r', '\n'});
        EmbeddedChannel ch = channel();
        long start = System.nanoTime();
        while (whole.isReadable()) {
            ch.writeInbound(whole.readRetainedSlice(Math.min(1024, whole.readableBytes())));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        whole.release();
        List<Object> out = drain(ch);
        assertThat(out).hasSize(1);
        assertThat((String) out.get(0)).isEqualTo(new String(payload, StandardCharsets.US_ASCII));
        // 1024 reads of 1 KiB: quadratic rescanning would take far longer than this.
        assertThat(millis).isLessThan(3000);
        ch.finishAndReleaseAll();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void largeArrayInRandomChunksIsParsedIncrementally() {
        int n = 200_000;
        StringBuilder sb = new StringBuilder("*").append(n).append("\r\n");
        for (int i = 0; i < n; i++) {
            sb.append(':').append(i).append("\r\n");
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel ch = channel();
        Random random = new Random(7);
        int pos = 0;
        while (pos < all.length) {
            int len = Math.min(1 + random.nextInt(700), all.length - pos);
            ch.writeInbound(Unpooled.wrappedBuffer(all, pos, len));
            pos += len;
        }
        List<Object> out = drain(ch);
        assertThat(out).hasSize(1);
        List<?> list = (List<?>) out.get(0);
        assertThat(list).hasSize(n);
        assertThat(list.get(0)).isEqualTo(0L);
        assertThat(list.get(n - 1)).isEqualTo((long) n - 1);
        ch.finishAndReleaseAll();
    }

    @Test
    void longSimpleLineSplitManyTimesWithinLimit() {
        char[] text = new char[60_000];
        Arrays.fill(text, 'x');
        byte[] all = ("+" + new String(text) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel ch = channel();
        for (int pos = 0; pos < all.length; pos += 100) {
            ch.writeInbound(Unpooled.wrappedBuffer(all, pos, Math.min(100, all.length - pos)));
        }
        assertThat(drain(ch)).containsExactly(new String(text));
        ch.finishAndReleaseAll();
    }

    @Test
    void decoderStateIsReusedAcrossManyNestedFrames() {
        EmbeddedChannel ch = channel();
        List<Object> expected = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append("*2\r\n*1\r\n:").append(i).append("\r\n%1\r\n+k\r\n~1\r\n+v\r\n");
            expected.add(List.of(List.of((long) i), Map.of("k", java.util.Set.of("v"))));
        }
        ch.writeInbound(bytes(sb.toString()));
        assertThat(drain(ch)).isEqualTo(expected);
        ch.finishAndReleaseAll();
    }
}
