package pulsar.impl.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Round trips, encode failures and decode failures of the default (deny-list) codec. */
class ObjectCodecTest {
    private final ObjectCodec codec = ObjectCodec.denyList();

    record Money(String currency, long cents) implements Serializable { }

    record Node(int value, Node next) implements Serializable { }

    /** A plain linked node; records recurse deeper per level when serialized. */
    static final class Link implements Serializable {
        final int value;
        final Link next;

        Link(int value, Link next) {
            this.value = value;
            this.next = next;
        }
    }

    static final class NotSerializable { }

    enum Colour { RED, GREEN }

    private Object roundTrip(Object value) {
        byte[] tagged = codec.encode(value);
        assertThat(tagged[0]).isEqualTo(ObjectCodec.MARKER);
        return codec.decode(tagged);
    }

    @Test
    void stringsRecordsAndCollectionsRoundTrip() {
        assertThat(roundTrip("hello é")).isEqualTo("hello é");
        assertThat(roundTrip(new Money("EUR", 1234))).isEqualTo(new Money("EUR", 1234));
        HashMap<String, Object> map = new HashMap<>();
        map.put("list", new ArrayList<>(List.of(1, 2L, "three")));
        map.put("money", new Money("USD", 5));
        map.put("null", null);
        assertThat(roundTrip(map)).isEqualTo(map);
        assertThat(roundTrip(List.of(1, 2))).isEqualTo(List.of(1, 2));
        assertThat(roundTrip(Map.of("k", Colour.GREEN))).isEqualTo(Map.of("k", Colour.GREEN));
        assertThat(roundTrip(new BigDecimal("1.50"))).isEqualTo(new BigDecimal("1.50"));
        assertThat(roundTrip(LocalDate.of(2024, 2, 29))).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(roundTrip(null)).isNull();
    }

    @Test
    void javaFormatByteIsOne() {
        assertThat(codec.encode("x")[1]).isEqualTo(ObjectCodec.FORMAT_JAVA).isEqualTo((byte) 0x01);
    }

    @Test
    void byteArraysUseTheRawFormatWithExactBytes() {
        byte[] raw = {0, (byte) 0xFF, 1, '\r', '\n', 127};
        byte[] tagged = codec.encode(raw);
        assertThat(tagged).containsExactly((byte) 0xFF, (byte) 0x02, 0, (byte) 0xFF, 1, '\r', '\n', 127);
        assertThat(ObjectCodec.FORMAT_BYTES).isEqualTo((byte) 0x02);
        Object decoded = codec.decode(tagged);
        assertThat(decoded).isInstanceOf(byte[].class);
        assertThat((byte[]) decoded).containsExactly(raw).isNotSameAs(raw);
        assertThat((byte[]) codec.decode(codec.encode(new byte[0]))).isEmpty();
    }

    @Test
    void byteArraysInsideObjectsGoThroughJavaSerialization() {
        Object decoded = roundTrip(new ArrayList<>(List.of(new byte[] {1, 2})));
        assertThat((byte[]) ((List<?>) decoded).get(0)).containsExactly(1, 2);
    }

    @Test
    void serializableLambdaCapturingAnIntRoundTrips() throws Exception {
        interface Fn extends Serializable, Function<Integer, Integer> { }
        int base = 40;
        Fn add = x -> x + base;
        Object decoded = roundTrip(add);
        assertThat(decoded).isInstanceOf(Fn.class);
        assertThat(((Fn) decoded).apply(2)).isEqualTo(42);
    }

    @Test
    void decodesWithoutAContextClassLoader() throws Exception {
        Object decoded = RuntimeClasses.withContextLoader(null, () -> roundTrip(new Money("GBP", 1)));
        assertThat(decoded).isEqualTo(new Money("GBP", 1));
    }

    @Test
    void nonSerializableObjectIsRefusedNamingTheClass() {
        assertThatThrownBy(() -> codec.encode(new NotSerializable()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot send " + NotSerializable.class.getName() + ": not Serializable (make it"
                        + " implement java.io.Serializable or send strings, numbers, lists and maps)");
    }

    @Test
    void nonSerializableObjectNestedInsideIsNamedToo() {
        List<Object> list = new ArrayList<>(List.of("ok", new NotSerializable()));
        assertThatThrownBy(() -> codec.encode(list))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot send java.util.ArrayList: it contains "
                        + NotSerializable.class.getName() + ", which is not Serializable");
    }

    @Test
    void nonSerializableLambdaGetsALambdaHint() {
        Function<Integer, Integer> plain = x -> x;
        assertThatThrownBy(() -> codec.encode(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not Serializable")
                .hasMessageContaining("a lambda is Serializable only if its target type is");
    }

    @Test
    void truncatedPayloadIsAClearIllegalArgument() {
        byte[] tagged = codec.encode(new HashMap<>(Map.of("a", new Money("EUR", 1))));
        for (int cut : new int[] {2, 5, tagged.length / 2, tagged.length - 1}) {
            byte[] truncated = Arrays.copyOf(tagged, cut);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("cut at %d", cut)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot decode object:");
        }
        byte[] half = Arrays.copyOf(tagged, tagged.length / 2);
        assertThatThrownBy(() -> codec.decode(half)).hasMessageContaining("truncated or corrupt");
    }

    @Test
    void corruptStreamIsAClearIllegalArgument() {
        byte[] garbage = {(byte) 0xFF, 0x01, 'n', 'o', 't', ' ', 'j', 'a', 'v', 'a'};
        assertThatThrownBy(() -> codec.decode(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void untaggedOrUnknownFormatIsAClearIllegalArgument() {
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xFF}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need at least");
        assertThatThrownBy(() -> codec.decode(new byte[] {'h', 'i'}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first byte is 0x68");
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xFF, 0x07, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown format byte 0x07");
    }

    @Test
    void deeplyNestedGraphIsRejectedWithAClearMessage() throws Exception {
        Link head = null;
        for (int i = 0; i < 1000; i++) {
            head = new Link(i, head);
        }
        byte[] tagged = onBigStack(codec, head);
        assertThatThrownBy(() -> codec.decode(tagged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("object graph nested deeper than 64 levels");
    }

    /** Encodes on a thread with a large stack so the sender side never limits the depth under test. */
    private static byte[] onBigStack(ObjectCodec codec, Object value) throws Exception {
        byte[][] result = new byte[1][];
        Thread thread = new Thread(null, () -> result[0] = codec.encode(value), "big-stack", 256L * 1024 * 1024);
        thread.start();
        thread.join();
        return result[0];
    }

    @Test
    void graphTooDeepToSerializeIsAClearIllegalArgument() {
        Link head = null;
        for (int i = 0; i < 1_000_000; i++) {
            head = new Link(i, head);
        }
        Link deep = head;
        assertThatThrownBy(() -> codec.encode(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested too deeply to serialize");
    }

    @Test
    void moderatelyNestedGraphIsFine() {
        Node head = null;
        for (int i = 0; i < 30; i++) {
            head = new Node(i, head);
        }
        assertThat(roundTrip(head)).isEqualTo(head);
    }

    @Test
    void hugeDeclaredArrayLengthIsRejectedBeforeAllocating() {
        byte[] tagged = codec.encode(new int[3]);
        // An int[] stream ends with the 4-byte length and then the elements (3 x 4 bytes).
        int lengthAt = tagged.length - 16;
        assertThat(tagged[lengthAt + 3]).isEqualTo((byte) 3);
        tagged[lengthAt] = 0x40;
        tagged[lengthAt + 3] = 0;
        assertThatThrownBy(() -> codec.decode(tagged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("array length 1073741824 exceeds limit");
    }

    @Test
    void largeLegitimateArraysStillDecode() {
        long[] values = new long[100_000];
        Arrays.setAll(values, i -> i);
        assertThat((long[]) roundTrip(values)).containsExactly(values);
        assertThat(roundTrip(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void denyListCodecIsSharedAndNotStrict() {
        assertThat(ObjectCodec.denyList()).isSameAs(codec);
        assertThat(codec.strict()).isFalse();
        assertThat(codec.allowPatterns()).isEmpty();
        assertThat(codec.toString()).contains("deny-list");
    }
}
