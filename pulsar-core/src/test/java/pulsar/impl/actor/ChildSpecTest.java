package pulsar.impl.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulsar.ActorBehaviour;
import pulsar.ActorHook;
import pulsar.Concurrency;
import pulsar.InfoHook;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.serial.RejectedClassException;

/** The compact spawn spec: every field survives the round trip, and a bad spec says what is wrong. */
class ChildSpecTest {
    /** Recorded by the hooks below, to tell that the decoded lambdas are the ones sent. */
    static final List<String> CALLS = new ArrayList<>();

    /** A behaviour for the spec; never created here. */
    public static final class Behaviour implements ActorBehaviour {
        public Behaviour() {
        }
    }

    /** A user value in the params. */
    record Point(int x, int y) implements Serializable {
    }

    private static ChildSpec roundTrip(ChildSpec spec) throws IOException {
        return ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(spec.toBytes())));
    }

    private static Settings settings() {
        return Settings.defaults().withSpareProcesses(2).with("timeout", Duration.ofMillis(1500))
                .with("jvm_options", "-Xmx64m -Dx=a b").with("max_message_length", 2_000_000).with("secret_file", "/tmp/s")
                .with("access_log", "false");
    }

    @Test
    void roundTrip_withoutUserObjects_keepsEveryField() throws IOException {
        Spawn spawn = Spawn.process().name("worker-1").aid("w0001").behaviour(Behaviour.class).cpuBound()
                .handshakeTimeout(Duration.ofSeconds(7, 5)).jvmOptions("-Xmx32m", "-Dp=q r")
                .setting("timeout", Duration.ofSeconds(3)).setting("stop_grace", "250ms");
        ChildSpec spec = new ChildSpec("w0001", 42, spawn, "127.0.0.1", 6010, "s3cret\u00e9", settings());

        ChildSpec back = roundTrip(spec);

        assertThat(back.aid()).isEqualTo("w0001");
        assertThat(back.age()).isEqualTo(42);
        assertThat(back.managerHost()).isEqualTo("127.0.0.1");
        assertThat(back.managerPort()).isEqualTo(6010);
        assertThat(back.secret()).isEqualTo("s3cret\u00e9");
        assertThat(back.settings()).isEqualTo(spec.settings());
        assertThat(back.settings().spareProcessesGiven()).isTrue();
        assertThat(back.settings().jvmOptions()).isEqualTo("-Xmx64m -Dx=a b");
        Spawn s = back.spawn();
        assertThat(s.concurrency()).isEqualTo(Concurrency.PROCESS);
        assertThat(s.name()).isEqualTo("worker-1");
        assertThat(s.aid()).isEqualTo("w0001");
        assertThat(s.behaviour()).isEqualTo(Behaviour.class.getName());
        assertThat(s.isCpuBound()).isTrue();
        assertThat(s.handshakeTimeout()).isEqualTo(Duration.ofSeconds(7, 5));
        assertThat(s.jvmOptions()).containsExactly("-Xmx32m", "-Dp=q r");
        assertThat(s.settings()).containsExactlyEntriesOf(spawn.settings());
        assertThat(s.settingsFor(back.settings())).isEqualTo(spawn.settingsFor(spec.settings()));
        assertThat(s.onStart()).isNull();
        assertThat(s.onStop()).isNull();
        assertThat(s.onInfo()).isNull();
        assertThat(s.params()).isEmpty();
    }

    @Test
    void roundTrip_ofTheDefaults_isSmallAndNotJavaSerialization() throws IOException {
        ChildSpec spec = new ChildSpec("a1", 1, Spawn.process(), "localhost", 1, "x", Settings.defaults());
        byte[] bytes = spec.toBytes();

        ChildSpec back = roundTrip(spec);

        assertThat(back.settings()).isEqualTo(Settings.defaults());
        assertThat(back.settings().spareProcessesGiven()).isFalse();
        assertThat(back.spawn().name()).isNull();
        assertThat(back.spawn().aid()).isNull();
        assertThat(back.spawn().behaviour()).isNull();
        assertThat(back.spawn().handshakeTimeout()).isNull();
        assertThat(back.spawn().isCpuBound()).isFalse();
        assertThat(back.spawn().jvmOptions()).isEmpty();
        // no Java serialization stream (0xACED) and only what differs from the defaults
        assertThat(bytes.length).isLessThan(64);
        for (int i = 0; i + 1 < bytes.length; i++) {
            assertThat((bytes[i] & 0xFF) == 0xAC && (bytes[i + 1] & 0xFF) == 0xED).as("0xACED at %d", i).isFalse();
        }
    }

    @Test
    void roundTrip_withParamsAndHooks_decodesThemThroughTheCodec() throws Exception {
        CALLS.clear();
        ActorHook start = actor -> CALLS.add("start");
        ActorHook stop = actor -> CALLS.add("stop");
        InfoHook info = (actor, map) -> CALLS.add("info");
        Spawn spawn = Spawn.process().name("p").param("n", 3).param("text", "hi").param("none", null)
                .param("point", new Point(1, 2)).param("bytes", new byte[] {1, 2}).onStart(start).onStop(stop).onInfo(info);

        Spawn s = roundTrip(new ChildSpec("a2", 2, spawn, "127.0.0.1", 7, "k", Settings.defaults())).spawn();

        assertThat(s.params().keySet()).containsExactly("n", "text", "none", "point", "bytes");
        assertThat(s.params()).containsEntry("n", 3).containsEntry("text", "hi").containsEntry("none", null)
                .containsEntry("point", new Point(1, 2));
        assertThat((byte[]) s.params().get("bytes")).containsExactly(1, 2);
        s.onStart().accept(null);
        s.onStop().accept(null);
        s.onInfo().accept(null, Map.of());
        assertThat(CALLS).containsExactly("start", "stop", "info");
    }

    @Test
    void roundTrip_withAHookOnly() throws IOException {
        Spawn spawn = Spawn.process().onStart(actor -> CALLS.add("only"));

        Spawn s = roundTrip(new ChildSpec("a3", 3, spawn, "127.0.0.1", 7, "k", Settings.defaults())).spawn();

        assertThat(s.onStart()).isNotNull();
        assertThat(s.onStop()).isNull();
        assertThat(s.params()).isEmpty();
    }

    @Test
    void userObjects_followTheChildsAllowList() {
        // (the framework's own packages, pulsar.*, java.util and java.lang, are always allowed)
        Spawn spawn = Spawn.process().param("uri", java.net.URI.create("http://127.0.0.1/"));
        Settings strict = Settings.defaults().with("serialization_allow", "java.lang.Integer");
        byte[] bytes = new ChildSpec("a4", 4, spawn, "127.0.0.1", 7, "k", strict).toBytes();

        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(bytes))))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot read child spec")
                .hasCauseInstanceOf(RejectedClassException.class).hasMessageContaining("java.net.URI");
    }

    @Test
    void aHookThatCannotBeSerialized_failsWhileEncoding() {
        Object notSerializable = new Object();
        Spawn spawn = Spawn.process().onStart(actor -> notSerializable.hashCode());

        assertThatThrownBy(() -> new ChildSpec("a5", 5, spawn, "127.0.0.1", 7, "k", Settings.defaults()).toBytes())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not Serializable");
    }

    @Test
    void truncatedSpec_saysSoAndIsNotAnEndOfInput() throws IOException {
        byte[] bytes = new ChildSpec("a6", 6, Spawn.process().name("t").param("k", "v"), "127.0.0.1", 7, "k", settings()).toBytes();
        // every cut inside the record: a clear error, never the EOFException that means "no spec"
        for (int cut = 4; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            int at = cut;
            assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(truncated))))
                    .as("cut at %d", at).isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class)
                    .hasMessageContaining("truncated child spec");
        }
        // a length that lies about a shorter record: the fields end early
        byte[] lying = Arrays.copyOf(bytes, bytes.length);
        int shorter = bytes.length - 4 - 10;
        lying[0] = (byte) (shorter >>> 24);
        lying[1] = (byte) (shorter >>> 16);
        lying[2] = (byte) (shorter >>> 8);
        lying[3] = (byte) shorter;
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(lying))))
                .isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class)
                .hasMessageMatching("(corrupt|cannot read) child spec.*");
    }

    @Test
    void emptyInput_isAnEndOfInput() {
        // a spare that was never used sees this and exits quietly
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(new byte[0]))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void garbage_isRefusedWithAClearError() {
        byte[] text = "GET / HTTP/1.1\r\n\r\n".getBytes();
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(text))))
                .isInstanceOf(IOException.class).hasMessageContaining("bad child spec length");

        byte[] wrongMagic = {0, 0, 0, 8, 0x12, 0x34, 0x56, 0x78, 1, 0, 0, 0};
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(wrongMagic))))
                .isInstanceOf(IOException.class).hasMessageContaining("not a child spec: magic 0x12345678");

        byte[] good = new ChildSpec("a7", 7, Spawn.process(), "127.0.0.1", 7, "k", Settings.defaults()).toBytes();
        byte[] wrongVersion = good.clone();
        wrongVersion[8] = 99;
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(wrongVersion))))
                .isInstanceOf(IOException.class).hasMessageContaining("child spec version 99");

        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        int longer = good.length - 4 + 3;
        trailing[3] = (byte) longer;
        trailing[2] = (byte) (longer >>> 8);
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(trailing))))
                .isInstanceOf(IOException.class).hasMessageContaining("3 bytes left over");
    }

    @Test
    void aBadSettingInTheSpec_namesTheSetting() {
        // The settings travel as text: one the child refuses says which, rather than failing later.
        byte[] good = new ChildSpec("a8", 8, Spawn.process(), "127.0.0.1", 7, "k",
                Settings.defaults().with("workers", "7")).toBytes();
        String text = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("workers");
        assertThat(at).isPositive();
        byte[] bad = good.clone();
        bad[at] = 'x'; // "xorkers": no such setting
        assertThatThrownBy(() -> ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(bad))))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown setting 'xorkers'");
    }
}
