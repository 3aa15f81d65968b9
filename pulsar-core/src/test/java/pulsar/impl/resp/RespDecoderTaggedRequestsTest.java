package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pulsar.impl.resp.RespTesting.bytes;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decoder with {@link RespDecoder.TaggedRequests} hands {@code TAG id command args...} over as
 * a primitive id, the command and the arguments alone, in stream order with the frames it emits;
 * whatever is not exactly such a request with a whole header goes the generic way (same values,
 * same errors), and the limits apply to the arguments as to any list.
 */
class RespDecoderTaggedRequestsTest {
    private final List<String> events = new ArrayList<>();

    private EmbeddedChannel channel(RespLimits limits) {
        RespDecoder decoder = new RespDecoder(limits);
        decoder.taggedRequests((id, command, args) -> events.add("request " + id + " " + command + " " + args));
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                events.add("frame " + msg);
            }
        });
    }

    private static final String STREAM = "*3\r\n$3\r\nTAG\r\n:1\r\n$4\r\nping\r\n"
            + "*5\r\n$3\r\nTAG\r\n:2\r\n$4\r\necho\r\n$1\r\na\r\n*2\r\n:1\r\n:2\r\n"
            + "*2\r\n$4\r\nAUTH\r\n$1\r\nx\r\n" // not tagged
            + "*3\r\n$3\r\nTAG\r\n:-3\r\n$4\r\nping\r\n" // a negative id: generic
            + "*3\r\n$3\r\nTAG\r\n:4\r\n:5\r\n" // a command that is not a bulk string: generic
            + "*2\r\n$3\r\nTAG\r\n:5\r\n" // no command: generic
            + "*10\r\n$3\r\nTAG\r\n:6\r\n$4\r\necho\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n" // 10 elements: generic
            + "*3\r\n$3\r\ntag\r\n:7\r\n$4\r\nping\r\n" // lower case: generic
            + "*4\r\n$3\r\nTAG\r\n:8\r\n$4\r\necho\r\n_\r\n" // a null argument
            + "*3\r\n$3\r\nTAG\r\n:9\r\n$-1\r\n" // a null command
            + "*9\r\n$3\r\nTAG\r\n:123456789012345678\r\n$1\r\nx\r\n+a\r\n+b\r\n+c\r\n+d\r\n+e\r\n+f\r\n";

    private static final List<String> EXPECTED = List.of(
            "request 1 ping []", "request 2 echo [a, [1, 2]]", "frame [AUTH, x]", "frame [TAG, -3, ping]", "frame [TAG, 4, 5]",
            "frame [TAG, 5]", "frame [TAG, 6, echo, 1, 2, 3, 4, 5, 6, 7]", "frame [tag, 7, ping]", "request 8 echo [null]",
            "request 9 null []", "request 123456789012345678 x [a, b, c, d, e, f]");

    @Test
    void taggedRequestsGoToTheCallbackInStreamOrder() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        ch.writeInbound(bytes(STREAM));
        assertThat(events).containsExactlyElementsOf(EXPECTED);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void sameRequestsWhateverTheSplit() {
        byte[] all = STREAM.getBytes(StandardCharsets.US_ASCII);
        List<String> expected = EXPECTED.stream().map(RespDecoderTaggedRequestsTest::asRequest).toList();
        for (int split = 1; split < all.length; split++) {
            events.clear();
            EmbeddedChannel ch = channel(RespLimits.DEFAULT);
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, 0, split)));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(all, split, all.length)));
            // A header split between reads is decoded the generic way: a list, same id, command and arguments.
            assertThat(events.stream().map(RespDecoderTaggedRequestsTest::asRequest).toList()).as("split at %d", split)
                    .containsExactlyElementsOf(expected);
            ch.finishAndReleaseAll();
        }
    }

    /** "frame [TAG, ID, CMD, ARGS...]" as "request ID CMD [ARGS]" for what the fast path would take whole. */
    private static String asRequest(String event) {
        String prefix = "frame [TAG, ";
        if (!event.startsWith(prefix)) {
            return event;
        }
        List<String> parts = List.of(event.substring(prefix.length(), event.length() - 1).split(", ", -1));
        if (parts.size() < 2 || parts.size() > 8 || parts.get(0).startsWith("-") || !parts.get(1).matches("[a-z]+|null")) {
            return event;
        }
        return "request " + parts.get(0) + " " + parts.get(1) + " [" + String.join(", ", parts.subList(2, parts.size())) + "]";
    }

    @Test
    void aMalformedArgumentFailsClearlyAndTheRestIsDiscarded() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        assertThatThrownBy(() -> ch.writeInbound(bytes("*4\r\n$3\r\nTAG\r\n:1\r\n$4\r\necho\r\n?x\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: unexpected byte '?' (0x3f)");
        ch.writeInbound(bytes("*3\r\n$3\r\nTAG\r\n:2\r\n$4\r\nping\r\n"));
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBadCommandPayloadFailsAsTheGenericDecoderDoes() {
        EmbeddedChannel ch = channel(RespLimits.DEFAULT);
        assertThatThrownBy(() -> ch.writeInbound(bytes("*3\r\n$3\r\nTAG\r\n:1\r\n$4\r\npingXX\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: missing CRLF after bulk payload of 4 bytes");
        assertThat(events).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void theArgumentsKeepTheLimitsOfAList() {
        EmbeddedChannel deep = channel(new RespLimits(1024, 16, 1, 64));
        assertThatThrownBy(() -> deep.writeInbound(bytes("*4\r\n$3\r\nTAG\r\n:1\r\n$4\r\necho\r\n*1\r\n:1\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: nesting depth exceeds limit 1");
        deep.finishAndReleaseAll();

        EmbeddedChannel wide = channel(new RespLimits(1024, 4, 8, 64));
        assertThatThrownBy(() -> wide.writeInbound(bytes("*5\r\n$3\r\nTAG\r\n:1\r\n$4\r\necho\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: aggregate length 5 exceeds limit 4");
        wide.finishAndReleaseAll();

        // The frame limit (an unauthenticated connection's): a too-large argument fails before its payload arrives.
        EmbeddedChannel small = channel(RespLimits.DEFAULT);
        ((RespDecoder) small.pipeline().first()).frameLimit(40);
        assertThatThrownBy(() -> small.writeInbound(bytes("*4\r\n$3\r\nTAG\r\n:1\r\n$4\r\necho\r\n$100\r\n")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessageStartingWith("Protocol error: request of at least");
        small.finishAndReleaseAll();
        assertThat(events).isEmpty();
    }
}
