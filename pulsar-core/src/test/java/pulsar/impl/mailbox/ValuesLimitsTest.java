package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.impl.resp.RespLimits;
import pulsar.impl.resp.RespPush;
import pulsar.impl.resp.RespWriter;
import pulsar.impl.resp.TaggedBytes;
import pulsar.impl.serial.ObjectCodec;

/** The in-JVM copy and the decoding of tagged values follow the socket's limits, with the socket's errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ValuesLimitsTest {
    private static final int LIMIT = 1 << 20;
    private final ObjectCodec codec = ObjectCodec.denyList().withMaxLength(LIMIT);

    private static List<Object> sharedLists(int levels) {
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < levels; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        return list;
    }

    @Test
    void copyingAListThatSharesSubLists_failsAtTheLimit_withTheSocketsError() {
        String socketError;
        ByteBuf buf = Unpooled.buffer();
        try {
            RespWriter.writeCommand(buf, "TAG", List.of(1L, "echo", sharedLists(60)), codec::encode, LIMIT);
            throw new AssertionError("not bounded");
        } catch (IllegalArgumentException e) {
            socketError = e.getMessage();
        } finally {
            buf.release();
        }
        assertThat(socketError).isEqualTo(RespLimits.tooLarge(LIMIT).getMessage());
        assertThatThrownBy(() -> Values.copyAll(new Object[] {"echo", sharedLists(60)}, codec))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(socketError);
        assertThatThrownBy(() -> Values.copy(Map.of("k", sharedLists(60)), codec)).hasMessage(socketError);
        assertThatThrownBy(() -> Values.copy(Set.of(sharedLists(60)), codec)).hasMessage(socketError);
    }

    @Test
    void copiesWithinTheLimit_areUnchanged() {
        assertThat(Values.copy(sharedLists(10), codec)).isEqualTo(sharedLists(10));
        assertThat(Values.copyAll(new Object[] {1, "a", List.of(1, 2), new byte[] {1}}, codec).get(2)).isEqualTo(List.of(1L, 2L));
        // Several arguments together count against one limit.
        String half = "h".repeat(LIMIT / 2);
        assertThat(Values.copyAll(new Object[] {List.of(half)}, codec)).hasSize(1);
        assertThatThrownBy(() -> Values.copyAll(new Object[] {List.of(half), List.of(half), List.of(half)}, codec))
                .hasMessage(RespLimits.tooLarge(LIMIT).getMessage());
        assertThatThrownBy(() -> Values.copy(new java.util.Date[] {new java.util.Date()}, ObjectCodec.denyList().withMaxLength(16)))
                .hasMessage(RespLimits.tooLarge(16).getMessage());
        // Plain strings count too, alone or together, as on the socket.
        assertThatThrownBy(() -> Values.copy("s".repeat(LIMIT + 1), codec)).hasMessage(RespLimits.tooLarge(LIMIT).getMessage());
        assertThatThrownBy(() -> Values.copyAll(new Object[] {half, half, half}, codec)).hasMessage(RespLimits.tooLarge(LIMIT).getMessage());
        assertThat(Values.copyAll(new Object[] {half, List.of("a")}, codec)).hasSize(2);
    }

    @Test
    void pushesBecomePlainLists() {
        Object decoded = Values.decodeTagged(new ArrayList<>(List.of("a", new RespPush(new ArrayList<>(List.of(1L, "b"))))), codec);
        assertThat(decoded).isEqualTo(List.of("a", List.of(1L, "b")));
        assertThat(((List<?>) decoded).get(1)).isInstanceOf(List.class).isNotInstanceOf(RespPush.class);
        assertThat(Values.decodeTagged(new RespPush(new ArrayList<>(List.of(new TaggedBytes(codec.encode(7))))), codec))
                .isEqualTo(List.of(7));
    }

    @Test
    void aPlainRequest_isReturnedAsIs() {
        List<Object> args = new ArrayList<>(List.of("a", 1L, 2.0));
        assertThat(Values.decodeTagged(args, codec)).isSameAs(args);
    }

    @Test
    void aTaggedSetElementOrMapKey_isPricedAsHashed() {
        // Inside a RESP set (or as a map key) the decoded value is hashed by the set we rebuild.
        byte[] laughing = codec.encode(sharedLists(40));
        Set<Object> set = new LinkedHashSet<>(List.of(new TaggedBytes(laughing)));
        assertThatThrownBy(() -> Values.decodeTagged(new ArrayList<>(List.of(set)), codec))
                .hasMessageContaining("would hash more than");
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(new TaggedBytes(laughing), "v");
        assertThatThrownBy(() -> Values.decodeTagged(new ArrayList<>(List.of(map)), codec))
                .hasMessageContaining("would hash more than");
        // As a plain argument it is not hashed: it decodes (and a reply of it would hit the message limit).
        assertThat(Values.decodeTagged(new ArrayList<>(List.of(new TaggedBytes(laughing))), codec)).asList().hasSize(1);
        Set<Object> ok = new HashSet<>(List.of(new TaggedBytes(codec.encode(List.of(1, 2)))));
        assertThat(Values.decodeTagged(ok, codec)).isEqualTo(Set.of(List.of(1, 2)));
    }
}
