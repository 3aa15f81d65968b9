package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder gathers reads into heap memory, small ones into a buffer of its own that it lends
 * and gets back: frames of every size, split anywhere, reads small and large in any order,
 * decode the same, every read buffer is released, and repeated short strings are one instance.
 */
class RespDecoderBuffersTest {
    private static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    @Test
    void smallAndLargeReads_splitAnywhere_decodeInOrder_andEveryReadIsReleased() {
        Random random = new Random(7);
        StringBuilder stream = new StringBuilder();
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int size = random.nextInt(10) == 0 ? 3000 + random.nextInt(9000) : random.nextInt(40);
            String unit = "v" + i + "-";
            String text = unit.repeat(size / unit.length() + 1).substring(0, Math.max(1, size));
            stream.append("*3\r\n").append(bulk("TAG")).append(':').append(i).append("\r\n").append(bulk(text));
            expected.add(List.of("TAG", (long) i, text));
        }
        byte[] all = stream.toString().getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULT));
        List<ByteBuf> reads = new ArrayList<>();
        List<Object> decoded = new ArrayList<>();
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, random.nextInt(4) == 0 ? 1 + random.nextInt(20_000) : 1 + random.nextInt(200));
            ByteBuf read = Unpooled.directBuffer(n).writeBytes(all, at, n);
            reads.add(read);
            ch.writeInbound(read);
            for (Object o; (o = ch.readInbound()) != null; ) {
                decoded.add(o);
            }
            at += n;
        }
        assertThat(decoded).isEqualTo(expected);
        assertThat(reads).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void repeatedShortStrings_areOneInstance() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULT));
        ch.writeInbound(Unpooled.copiedBuffer("*2\r\n$4\r\nping\r\n+PONG\r\n*2\r\n$4\r\nping\r\n+PONG\r\n", StandardCharsets.UTF_8));
        List<Object> first = ch.readInbound();
        List<Object> second = ch.readInbound();
        assertThat(first).containsExactly("ping", "PONG");
        assertThat(second.get(0)).isSameAs(first.get(0));
        assertThat(second.get(1)).isSameAs(first.get(1));
        ch.finishAndReleaseAll();
    }
}
