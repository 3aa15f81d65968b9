package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pulsar.impl.resp.RespTesting.bytes;
import static pulsar.impl.resp.RespTesting.channel;
import static pulsar.impl.resp.RespTesting.drain;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every protocol violation fails with RespProtocolException, after which input is discarded. */
class RespDecoderErrorTest {
    private static final RespLimits SMALL = new RespLimits(16, 4, 3, 32);

    private static void assertProtocolError(RespLimits limits, String input, String message) {
        EmbeddedChannel ch = channel(limits);
        assertThatThrownBy(() -> ch.writeInbound(bytes(input)))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: " + message);
        ch.finishAndReleaseAll();
    }

    @Test
    void garbageByte() {
        assertProtocolError(RespLimits.DEFAULT, "xyz\r\n", "unexpected byte 'x' (0x78)");
    }

    @Test
    void unprintableGarbageByteIsShownInHex() {
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x01})))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage("Protocol error: unexpected byte 0x00");
    }

    @Test
    void inlineCommandsAreNotSupported() {
        assertProtocolError(RespLimits.DEFAULT, "PING\r\n", "unexpected byte 'P' (0x50)");
    }

    @Test
    void bulkLengthOverLimit() {
        assertProtocolError(RespLimits.DEFAULT, "$9999999\r\n", "bulk length 9999999 exceeds limit 4194304");
        assertProtocolError(SMALL, "=17\r\n", "bulk length 17 exceeds limit 16");
    }

    @Test
    void aggregateTooLong() {
        assertProtocolError(SMALL, "*5\r\n", "aggregate length 5 exceeds limit 4");
        assertProtocolError(SMALL, "%5\r\n", "aggregate length 5 exceeds limit 4");
    }

    @Test
    void nestingTooDeep() {
        assertProtocolError(SMALL, "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", "nesting depth exceeds limit 3");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            deep.append("*1\r\n");
        }
        assertProtocolError(RespLimits.DEFAULT, deep.toString(), "nesting depth exceeds limit 32");
    }

    @Test
    void nestingAtTheLimitIsFine() {
        EmbeddedChannel ch = channel(SMALL);
        ch.writeInbound(bytes("*1\r\n*1\r\n*1\r\n:1\r\n"));
        assertThat(drain(ch)).hasSize(1);
    }

    @Test
    void missingCrlfAfterBulkPayload() {
        assertProtocolError(RespLimits.DEFAULT, "$3\r\nfooXY", "missing CRLF after bulk payload of 3 bytes");
    }

    @Test
    void lineTooLongWithoutCrlf() {
        char[] chars = new char[40];
        Arrays.fill(chars, 'a');
        assertProtocolError(SMALL, "+" + new String(chars),
                "line longer than limit 32 bytes without CRLF (unterminated frame)");
    }

    @Test
    void lineTooLongDetectedAcrossReads() {
        EmbeddedChannel ch = channel(SMALL);
        ch.writeInbound(bytes("$0000000000"));
        ch.writeInbound(bytes("0000000000"));
        assertThatThrownBy(() -> ch.writeInbound(bytes("00000000000000000000")))
                .isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("without CRLF");
    }

    @Test
    void defaultLineLimitIs64KiB() {
        char[] chars = new char[64 * 1024 + 10];
        Arrays.fill(chars, 'a');
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(bytes("+" + new String(chars))))
                .isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("line longer than limit 65536");
    }

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                arguments(":12a\r\n", "invalid integer '12a'"),
                arguments(":\r\n", "invalid integer ''"),
                arguments(":-\r\n", "invalid integer '-'"),
                arguments(":99999999999999999999\r\n", "invalid integer '99999999999999999999'"),
                arguments("$abc\r\n", "invalid bulk length 'abc'"),
                arguments("$?\r\n", "invalid bulk length '?'"), // RESP3 streamed strings: unsupported
                arguments("$-2\r\n", "invalid bulk length -2"),
                arguments("*x\r\n", "invalid aggregate length 'x'"),
                arguments("%-1\r\n", "invalid aggregate length -1"),
                arguments("#x\r\n", "invalid boolean 'x'"),
                arguments(",1.5x\r\n", "invalid double '1.5x'"),
                arguments(",0x10\r\n", "invalid double '0x10'"),
                arguments(",Infinity\r\n", "invalid double 'Infinity'"),
                arguments("(12.5\r\n", "invalid big number '12.5'"),
                arguments("_x\r\n", "invalid null 'x'"),
                arguments("=3\r\nabc\r\n", "malformed verbatim string (missing 'xxx:' format)"),
                arguments("+OK\n", "expected CRLF, got a bare LF"));
    }

    @ParameterizedTest
    @MethodSource
    void malformedFrames(String input, String message) {
        assertProtocolError(RespLimits.DEFAULT, input, message);
    }

    @Test
    void valuesBeforeTheErrorAreDeliveredAndEverythingAfterIsDiscarded() {
        EmbeddedChannel ch = channel();
        assertThatThrownBy(() -> ch.writeInbound(bytes("+first\r\n:2\r\n?bad\r\n+third\r\n")))
                .isInstanceOf(RespProtocolException.class);
        assertThat(drain(ch)).containsExactly("first", 2L);
        // A valid frame afterwards is swallowed: the stream position is unknown once it failed.
        ch.writeInbound(bytes("+OK\r\n"));
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void errorInsideAPartialAggregateAlsoDiscardsTheAggregate() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("*3\r\n:1\r\n"));
        assertThatThrownBy(() -> ch.writeInbound(bytes("PING\r\n"))).isInstanceOf(RespProtocolException.class);
        ch.writeInbound(bytes(":2\r\n:3\r\n"));
        assertThat(drain(ch)).isEmpty();
    }

    @Test
    void protocolExceptionIsADecoderException() {
        assertThat(new RespProtocolException("x"))
                .isInstanceOf(io.netty.handler.codec.DecoderException.class)
                .hasMessage("Protocol error: x");
    }

    @Test
    void limitsAreValidatedNamingFieldAndValue() {
        assertThatThrownBy(() -> new RespLimits(0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBulkLength").hasMessageContaining("0");
        assertThatThrownBy(() -> new RespLimits(1, -5, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAggregateLength").hasMessageContaining("-5");
        assertThatThrownBy(() -> new RespLimits(1, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> new RespLimits(1, 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineLength");
        assertThat(RespLimits.DEFAULT).isEqualTo(new RespLimits(4 * 1024 * 1024, 1_048_576, 32, 64 * 1024));
    }

    @Test
    void bulkPayloadAfterFailureIsNotMistakenForFrames() {
        // The payload bytes would parse as frames if the decoder kept going after the error.
        EmbeddedChannel ch = channel(SMALL);
        byte[] payload = "+INJECTED\r\n".repeat(3).getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ch.writeInbound(bytes("$" + payload.length + "\r\n")))
                .isInstanceOf(RespProtocolException.class);
        ch.writeInbound(Unpooled.wrappedBuffer(payload));
        assertThat(drain(ch)).isEmpty();
    }
}
