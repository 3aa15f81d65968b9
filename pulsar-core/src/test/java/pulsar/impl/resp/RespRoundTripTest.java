package pulsar.impl.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writer output fed through the decoder in a real pipeline, for every type and both protocols. */
class RespRoundTripTest {
    private static final byte[] TAGGED = {(byte) 0xFF, 0x01, (byte) 0xAC, (byte) 0xED, 0, 5, '\r', '\n'};

    private static Object roundTrip(Object value, int protocol) {
        ByteBuf buf = Unpooled.buffer();
        RespWriter.write(buf, value, protocol, v -> TAGGED.clone());
        EmbeddedChannel ch = RespTesting.channel();
        ch.writeInbound(buf);
        Object decoded = ch.readInbound();
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
        return decoded;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void scalarsSurviveAsTheirCanonicalTypes(int protocol) {
        assertThat(roundTrip("text é", protocol)).isEqualTo("text é");
        assertThat(roundTrip(RespSimple.OK, protocol)).isEqualTo("OK");
        assertThat(roundTrip(new RespError("ERR boom"), protocol)).isEqualTo(new RespError("ERR boom"));
        assertThat(roundTrip(5, protocol)).isEqualTo(5L);
        assertThat(roundTrip(Long.MIN_VALUE, protocol)).isEqualTo(Long.MIN_VALUE);
        assertThat(roundTrip(null, protocol)).isSameAs(RespNull.INSTANCE);
        assertThat(roundTrip(new byte[] {'h', 'i'}, protocol)).isEqualTo(new TaggedBytes(TAGGED)); // byte[] goes through the object encoder
        assertThat(roundTrip(new TaggedBytes(TAGGED), protocol)).isEqualTo(new TaggedBytes(TAGGED));
        assertThat(roundTrip(new StringBuilder("sb"), protocol)).isEqualTo("sb");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void richScalarsAreTypedUnderRespThreeAndTextOrIntegersUnderRespTwo(int protocol) {
        boolean resp3 = protocol == 3;
        BigInteger big = new BigInteger("-98765432109876543210");
        assertThat(roundTrip(2.5, protocol)).isEqualTo(resp3 ? (Object) 2.5 : "2.5");
        assertThat(roundTrip(Double.NEGATIVE_INFINITY, protocol))
                .isEqualTo(resp3 ? (Object) Double.NEGATIVE_INFINITY : "-inf");
        assertThat(roundTrip(true, protocol)).isEqualTo(resp3 ? (Object) true : 1L);
        assertThat(roundTrip(false, protocol)).isEqualTo(resp3 ? (Object) false : 0L);
        assertThat(roundTrip(big, protocol)).isEqualTo(resp3 ? big : big.toString());
        if (resp3) {
            assertThat((Double) roundTrip(Double.NaN, protocol)).isNaN();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aggregates(int protocol) {
        boolean resp3 = protocol == 3;
        assertThat(roundTrip(Arrays.asList("a", null, List.of(1L, "b")), protocol))
                .isEqualTo(Arrays.asList("a", null, List.of(1L, "b")));
        assertThat(roundTrip(new Object[] {1, "x"}, protocol)).isEqualTo(List.of(1L, "x"));

        Set<Object> set = new LinkedHashSet<>(List.of("s1", "s2"));
        assertThat(roundTrip(set, protocol)).isEqualTo(resp3 ? set : List.of("s1", "s2"));

        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1L));
        map.put(7L, null);
        assertThat(roundTrip(map, protocol)).isEqualTo(resp3 ? map : Arrays.asList("k", List.of(1L), 7L, null));

        RespPush push = new RespPush(List.of("message", "chan", "payload"));
        assertThat(roundTrip(push, protocol)).isEqualTo(resp3 ? push : push.values());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void arbitraryObjectsArriveAsTaggedBytesUndeserialized(int protocol) {
        record Opaque(int id) { }
        Object decoded = roundTrip(List.of(new Opaque(1)), protocol);
        assertThat(decoded).isEqualTo(List.of(new TaggedBytes(TAGGED)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void injectedErrorTextStaysOneFrame(int protocol) {
        Object decoded = roundTrip(new RespError("ERR x\r\n+OK\r\n:1"), protocol);
        assertThat(decoded).isEqualTo(new RespError("ERR x  +OK  :1"));
    }

    @Test
    void commandFrameRoundTrips() {
        ByteBuf buf = Unpooled.buffer();
        RespWriter.writeCommand(buf, "CALL", List.of("a", 1, Map.of("k", "v")), null);
        EmbeddedChannel ch = RespTesting.channel();
        ch.writeInbound(buf);
        assertThat(ch.<Object>readInbound()).isEqualTo(List.of("CALL", "a", 1L, Map.of("k", "v")));
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void taggedBytesMarkerMatchesTheSerializerMarker(int protocol) {
        assertThat(TaggedBytes.MARKER).isEqualTo(pulsar.impl.serial.ObjectCodec.MARKER);
        ByteBuf buf = Unpooled.buffer();
        byte[] encoded = pulsar.impl.serial.ObjectCodec.denyList().encode(List.of(1, 2));
        RespWriter.write(buf, List.of("x"), protocol, null);
        RespWriter.write(buf, new TaggedBytes(encoded), protocol, null);
        EmbeddedChannel ch = RespTesting.channel();
        ch.writeInbound(buf);
        assertThat(ch.<Object>readInbound()).isEqualTo(List.of("x"));
        TaggedBytes tagged = ch.readInbound();
        assertThat(pulsar.impl.serial.ObjectCodec.denyList().decode(tagged.bytes())).isEqualTo(List.of(1, 2));
        ch.finishAndReleaseAll();
    }
}
