package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pulsar.impl.resp.RespTesting.bytes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frame limit bounds what one request may make the decoder buffer, and the writer's limit what one reply may take. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RespFrameLimitTest {
    private static final int LIMIT = 4096;

    private static EmbeddedChannel limited(RespDecoder decoder) {
        decoder.frameLimit(LIMIT);
        return new EmbeddedChannel(decoder);
    }

    @Test
    void aHugeArrayHeader_failsAtOnce_beforeAnyElementIsBuffered() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel ch = limited(decoder);
        assertThatThrownBy(() -> ch.writeInbound(bytes("*1048576\r\n")))
                .isInstanceOf(DecoderException.class).hasMessageContaining("exceeds limit 4096");
        assertThat(decoder.frameBytes()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBulkThatDoesNotFit_failsAtItsHeader() {
        EmbeddedChannel ch = limited(new RespDecoder());
        assertThatThrownBy(() -> ch.writeInbound(bytes("*2\r\n$4\r\nAUTH\r\n$5000\r\n")))
                .hasMessageContaining("request of at least 5023 bytes exceeds limit 4096");
        ch.finishAndReleaseAll();
    }

    @Test
    void aRequestDribbledInSmallElements_isCutAtTheLimit_neverBufferingMore() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel ch = limited(decoder);
        ch.writeInbound(bytes("*1000\r\n")); // 1000 elements may fit in 4 KiB...
        long accepted = 7;
        long maxBuffered = 0;
        try {
            for (int i = 0; i < 1000; i++) {
                ch.writeInbound(bytes("$1\r\nx\r\n")); // ...but not 1000 of 7 bytes
                accepted += 7;
                maxBuffered = Math.max(maxBuffered, decoder.frameBytes());
            }
            throw new AssertionError("the frame limit was not enforced");
        } catch (DecoderException e) {
            assertThat(e).hasMessageContaining("exceeds limit 4096");
        }
        assertThat(accepted).isLessThanOrEqualTo(LIMIT);
        assertThat(maxBuffered).isLessThanOrEqualTo(LIMIT);
        ch.finishAndReleaseAll();
    }

    @Test
    void aLineLongerThanWhatIsLeft_failsWithoutWaitingForTheLineLimit() {
        EmbeddedChannel ch = limited(new RespDecoder());
        assertThatThrownBy(() -> ch.writeInbound(bytes("*1\r\n$" + "9".repeat(5000))))
                .hasMessageContaining("exceeds limit 4096");
        ch.finishAndReleaseAll();
    }

    @Test
    void theLimitCountsPerFrame_andCanBeRaisedBetweenFrames() {
        RespDecoder decoder = new RespDecoder();
        EmbeddedChannel ch = limited(decoder);
        String small = "*2\r\n$4\r\nECHO\r\n$3000\r\n" + "a".repeat(3000) + "\r\n";
        ch.writeInbound(bytes(small + small)); // two frames of 3 KB each: fine, each is below 4 KiB
        assertThat(RespTesting.drain(ch)).hasSize(2);
        decoder.frameLimit(1 << 20);
        String big = "*2\r\n$4\r\nECHO\r\n$100000\r\n" + "b".repeat(100_000) + "\r\n";
        ch.writeInbound(bytes(big));
        assertThat(RespTesting.drain(ch)).hasSize(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedFrames_areHandedOnOneAtATime_soAHandlerCanRaiseTheLimitBetweenThem() {
        RespDecoder decoder = new RespDecoder();
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                decoder.frameLimit(1 << 20); // as AUTH does
            }
        });
        decoder.frameLimit(64);
        String auth = "*2\r\n$4\r\nAUTH\r\n$3\r\nabc\r\n";
        String big = "*2\r\n$4\r\nECHO\r\n$1000\r\n" + "c".repeat(1000) + "\r\n";
        ch.writeInbound(bytes(auth + big)); // one read: the second frame is parsed after the first was handled
        assertThat(seen).hasSize(2);
        ch.finishAndReleaseAll();
    }

    /** A list whose two elements are the same list, {@code levels} deep: 2^levels leaves when written out. */
    static List<Object> sharedLists(int levels) {
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < levels; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        return list;
    }

    @Test
    void aReplyThatExpands_failsAtTheLimit_quickly_andLeavesTheBufferAsItWas() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte('!');
        long start = System.nanoTime();
        assertThatThrownBy(() -> RespWriter.write(buf, sharedLists(60), 3, null, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(RespLimits.tooLarge(1 << 20).getMessage());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(buf.writerIndex()).isEqualTo(1);
        assertThatThrownBy(() -> RespWriter.writeCommand(buf, "TAG", List.of(1L, "echo", sharedLists(60)), null, 1 << 20))
                .hasMessage(RespLimits.tooLarge(1 << 20).getMessage());
        assertThatThrownBy(() -> RespWriter.write(buf, "y".repeat(5000), 2, null, 4096))
                .hasMessage(RespLimits.tooLarge(4096).getMessage());
        assertThat(buf.writerIndex()).isEqualTo(1);
        RespWriter.write(buf, sharedLists(8), 3, null, 1 << 20);
        assertThat(buf.writerIndex()).isGreaterThan(256 * 4);
        buf.release();
    }
}
