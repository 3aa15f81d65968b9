package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pulsar.impl.resp.RespTesting.bytes;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decoder with a {@link RespDecoder.TaggedReplies} hands tagged replies over as a primitive id
 * and a value, in stream order with the frames it emits; whatever is not exactly a whole tagged
 * reply header goes the generic way (same values, same errors), and a malformed frame after a
 * tagged reply's header fails as any other.
 */
class RespDecoderTaggedRepliesTest {
    /** What came out of the decoder, in order: "tagged ID VALUE" from the callback, "frame VALUE" from the pipeline. */
    private final List<String> events = new ArrayList<>();

    private EmbeddedChannel channel(RespLimits limits) {
        RespDecoder decoder = new RespDecoder(limits, (id, value) -> events.add("tagged " + id + " " + show(value)));
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof RespPush p && p.values().size() == 3) {
                    events.add("push " + show(p.values().get(0)) + " " + show(p.values().get(1)) + " " + show(p.values().get(2)));
                } else {
                    events.add("frame " + show(msg));
                }
            }
        });
    }

    private static String show(Object v) {
        if (v instanceof TaggedBytes t) {
            return "bytes" + Arrays.toString(t.bytes());
        }
        if (v instanceof RespError e) {
            return "error(" + e.message() + ")";
        }
        return String.valueOf(v);
    }

    private static final String STREAM = ">3\r\n$5\r\nreply\r\n:1\r\n+PONG\r\n"
            + ">3\r\n$5\r\nreply\r\n:123456789012345678\r\n$5\r\nhello\r\n" // 18 digits: the fast path's most
            + "+OK\r\n" // a plain frame between two tagged replies
            + ">3\r\n$5\r\nreply\r\n:3\r\n_\r\n" // a null value
            + ">3\r\n$5\r\nreply\r\n:4\r\n-ERR boom\r\n"
            + ">3\r\n$5\r\nreply\r\n:5\r\n*2\r\n:1\r\n*1\r\n$1\r\nx\r\n"
            + ">3\r\n$5\r\nreply\r\n:6\r\n$3\r\n\u00ff\u0001\u0002\r\n"// 0xFF: TaggedBytes (see bytesOf)
            + ">3\r\n$5\r\nreply\r\n:1234567890123456789\r\n+PONG\r\n" // 19 digits: generic
            + ">3\r\n$5\r\nreply\r\n:-7\r\n+PONG\r\n" // negative: generic
            + ">3\r\n$5\r\nother\r\n:8\r\n+PONG\r\n" // another push
            + ">2\r\n$5\r\nreply\r\n:9\r\n" // another shape
            + ">3\r\n$5\r\nreply\r\n:10\r\n|1\r\n+key\r\n+attr\r\n:42\r\n"; // an attribute before the value is dropped

    private static final List<String> EXPECTED = List.of(
            "tagged 1 PONG", "tagged 123456789012345678 hello", "frame OK", "tagged 3 null", "tagged 4 error(ERR boom)",
            "tagged 5 [1, [x]]", "tagged 6 bytes[-1, 1, 2]",
            "push reply 1234567890123456789 PONG", "push reply -7 PONG",
            "push other 8 PONG", "frame RespPush[values=[reply, 9]]", "tagged 10 42");

    /** The stream's bytes, with U+00FF as the single byte 0xFF (the TaggedBytes marker). */
    private static byte[] bytesOf(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }

    @Test
    void taggedRepliesGoToTheCallbackInStreamOrder() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        ch.writeInbound(Unpooled.wrappedBuffer(bytesOf(STREAM)));
        assertThat(events).containsExactlyElementsOf(EXPECTED);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sameValuesWhateverTheSplit() {
        byte[] all = bytesOf(STREAM);
        for (int split = 1; split < all.length; split++) {
            events.clear();
            EmbeddedChannel ch = channel(RespLimits.DEFAULT);
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, 0, split)));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, split, all.length)));
            // A header split between reads is decoded the generic way: a push, same id and value.
            List<String> normalized = events.stream().map(RespDecoderTaggedRepliesTest::asTagged).toList();
            assertThat(normalized).as("split at %d", split).containsExactlyElementsOf(EXPECTED.stream()
                    .map(RespDecoderTaggedRepliesTest::asTagged).toList());
            ch.finishAndReleaseAll();
        }
    }

    /** "push reply ID VALUE" as "tagged ID VALUE" when ID is one the fast path takes (not negative, at most 18 digits). */
    private static String asTagged(String event) {
        String prefix = "push reply ";
        if (event.startsWith(prefix)) {
            String id = event.substring(prefix.length(), event.indexOf(' ', prefix.length()));
            if (!id.startsWith("-") && id.length() <= 18) {
                return "tagged " + event.substring(prefix.length());
            }
        }
        return event;
    }

    @Test
    void aMalformedValueAfterTheHeaderFailsClearlyAndTheRestIsDiscarded() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        assertThatThrownBy(() -> ch.writeInbound(bytes(">3\r\n$5\r\nreply\r\n:12\r\n?x\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: unexpected byte '?' (0x3f)");
        ch.writeInbound(bytes(">3\r\n$5\r\nreply\r\n:13\r\n+PONG\r\n"));
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedIdFailsAsTheGenericDecoderDoes() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        assertThatThrownBy(() -> ch.writeInbound(bytes(">3\r\n$5\r\nreply\r\n:1x\r\n+PONG\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: invalid integer '1x'");
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aValueOverTheFrameLimitFailsBeforeItIsBuffered() {
        EmbeddedChannel ch = channel(new RespLimits(1 << 20, 16, 8, 64, 40));
        assertThatThrownBy(() -> ch.writeInbound(bytes(">3\r\n$5\r\nreply\r\n:1\r\n$100\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessageStartingWith("Protocol error: request of at least");
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutACallbackATaggedReplyIsAPush() {
        Object v = RespTesting.decodeOne(">3\r\n$5\r\nreply\r\n:1\r\n+PONG\r\n");
        assertThat(v).isEqualTo(new RespPush(List.of("reply", 1L, "PONG")));
    }

}
