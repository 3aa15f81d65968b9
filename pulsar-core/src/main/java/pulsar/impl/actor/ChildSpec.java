package pulsar.impl.actor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pulsar.ActorHook;
import pulsar.Concurrency;
import pulsar.InfoHook;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.serial.ObjectCodec;

/**
 * What a child JVM needs to become an actor. It travels on the child's standard input (never
 * the command line, which other users can read), as a length-prefixed record.
 *
 * <p>The record is written with {@link DataOutputStream}, not Java serialization: a magic
 * number and a version, the fixed fields as strings and numbers, the settings that differ from
 * the defaults as {@code name=value} text, and the spawn's own fields. Only the user objects, the
 * hooks ({@code onStart}, {@code onStop}, {@code onInfo}) and the {@link Spawn#params()}, go
 * through the {@link ObjectCodec}, and only when the spawn has any: Java serialization of the
 * whole record took 1-3 ms to write in the parent and 2-8 ms to read in a (warm) spare, the largest
 * step left of a spawn with a spare (issue 10). The child decodes them with its mailbox's codec,
 * so {@code serialization_allow} and the deny-list apply to them as to any value it receives.
 *
 * @param aid the actor id
 * @param age the spawn order
 * @param spawn the spec, with its hooks
 * @param managerHost the arbiter's mailbox host
 * @param managerPort the arbiter's mailbox port
 * @param secret the mailbox secret
 * @param settings the settings the actor runs with: the arbiter's with the spec's overrides
 */
public record ChildSpec(String aid, long age, Spawn spawn, String managerHost, int managerPort, String secret, Settings settings) {
    private static final int MAX_LENGTH = 64 * 1024 * 1024;
    /** "PLSC": tells a spec from whatever else could reach a child's standard input. */
    private static final int MAGIC = 0x504C5343;
    /** Bumped when the layout changes; parent and child come from the same class path. */
    private static final byte VERSION = 1;
    private static final int HAS_USER_OBJECTS = 1;
    private static final int CPU_BOUND = 2;
    private static final int HAS_HANDSHAKE_TIMEOUT = 4;
    /** What {@link Settings#get} shows for the defaults: only the settings that differ are sent. */
    private static final Map<String, Object> DEFAULTS = Settings.defaults().toMap();

    /** Writes the spec, length first. */
    public void writeTo(DataOutputStream out) throws IOException {
        out.write(toBytes());
        out.flush();
    }

    /**
     * The spec as {@link #writeTo} writes it, length first: encode it before starting or taking
     * a child JVM, so that a spec that cannot be sent leaves no child behind.
     *
     * @throws IllegalArgumentException when a hook or param cannot be serialized, or the spec is too large
     */
    public byte[] toBytes() {
        if (spawn.isColocated()) {
            throw new IllegalArgumentException("a co-located actor has no JVM of its own: " + spawn);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream d = new DataOutputStream(bytes);
        try {
            d.writeInt(0); // the length, set below
            d.writeInt(MAGIC);
            d.writeByte(VERSION);
            d.writeUTF(aid);
            d.writeLong(age);
            d.writeUTF(managerHost);
            d.writeInt(managerPort);
            d.writeUTF(secret);
            writeSettings(d, settings);
            writeSpawn(d, spawn);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        byte[] all = bytes.toByteArray();
        int length = all.length - 4;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("child spec of " + length + " bytes is over " + MAX_LENGTH
                    + " (large spawn params?)");
        }
        all[0] = (byte) (length >>> 24);
        all[1] = (byte) (length >>> 16);
        all[2] = (byte) (length >>> 8);
        all[3] = (byte) length;
        return all;
    }

    /**
     * Reads a spec. The stream comes from the parent; the hooks and params it holds still decode
     * through the actor's codec ({@code serialization_allow}, the deny-list and its bounds).
     *
     * @throws EOFException only when the stream ends before the spec starts (a spare never used)
     * @throws IOException  naming what is wrong when the spec is truncated, not a spec or corrupt
     */
    public static ChildSpec readFrom(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IOException(String.format("bad child spec length %d (0x%08x): not a spec from a pulsar parent", length, length));
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated child spec: " + bytes.length + " of " + length + " bytes");
        }
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int magic = d.readInt();
            if (magic != MAGIC) {
                throw new IOException(String.format("not a child spec: magic 0x%08x, expected 0x%08x", magic, MAGIC));
            }
            byte version = d.readByte();
            if (version != VERSION) {
                throw new IOException("child spec version " + version + ", this JVM reads " + VERSION
                        + " (parent and child on different class paths?)");
            }
            String aid = d.readUTF();
            long age = d.readLong();
            String host = d.readUTF();
            int port = d.readInt();
            String secret = d.readUTF();
            Settings settings = readSettings(d);
            Spawn spawn = readSpawn(d, settings, secret);
            if (d.available() != 0) {
                throw new IOException("corrupt child spec: " + d.available() + " bytes left over");
            }
            return new ChildSpec(aid, age, spawn, host, port, secret, settings);
        } catch (EOFException | UTFDataFormatException e) {
            // Not an EOFException to the caller: that one means "no spec at all".
            throw new IOException("corrupt child spec: its " + length + " bytes end inside a field (" + e + ")", e);
        } catch (RuntimeException e) {
            // A setting or spawn field its checks refuse, a class the codec refuses, an unknown kind.
            throw new IOException("cannot read child spec: " + e.getMessage(), e);
        }
    }

    /** The settings that differ from the defaults, as {@code name=value} text that {@link Settings#with} parses. */
    private static void writeSettings(DataOutputStream d, Settings settings) throws IOException {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, Object> e : settings.toMap().entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            // spare_processes given explicitly is not the default even at the default's value.
            if (!value.equals(DEFAULTS.get(name)) || (name.equals("spare_processes") && settings.spareProcessesGiven())) {
                pairs.add(name);
                pairs.add(value instanceof Double seconds ? Math.round(seconds * 1000) + "ms" : value.toString());
            }
        }
        d.writeShort(pairs.size() / 2);
        for (String s : pairs) {
            d.writeUTF(s);
        }
    }

    private static Settings readSettings(DataInputStream d) throws IOException {
        Settings s = Settings.defaults();
        int count = d.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            s = s.with(d.readUTF(), d.readUTF());
        }
        return s;
    }

    private static void writeSpawn(DataOutputStream d, Spawn spawn) throws IOException {
        boolean user = spawn.onStart() != null || spawn.onStop() != null || spawn.onInfo() != null || !spawn.params().isEmpty();
        d.writeByte((user ? HAS_USER_OBJECTS : 0) | (spawn.isCpuBound() ? CPU_BOUND : 0)
                | (spawn.handshakeTimeout() != null ? HAS_HANDSHAKE_TIMEOUT : 0));
        d.writeUTF(spawn.concurrency().name());
        writeNullable(d, spawn.aid());
        writeNullable(d, spawn.name());
        writeNullable(d, spawn.behaviour());
        if (spawn.handshakeTimeout() != null) {
            d.writeLong(spawn.handshakeTimeout().getSeconds());
            d.writeInt(spawn.handshakeTimeout().getNano());
        }
        d.writeShort(spawn.jvmOptions().size());
        for (String o : spawn.jvmOptions()) {
            d.writeUTF(o);
        }
        d.writeShort(spawn.settings().size());
        for (Map.Entry<String, String> e : spawn.settings().entrySet()) {
            d.writeUTF(e.getKey());
            d.writeUTF(e.getValue());
        }
        if (user) {
            // One value through the codec: hooks are serializable lambdas or classes, params any serializable value.
            List<Object> objects = new ArrayList<>(4);
            objects.add(spawn.onStart());
            objects.add(spawn.onStop());
            objects.add(spawn.onInfo());
            objects.add(new LinkedHashMap<>(spawn.params()));
            byte[] encoded = ObjectCodec.denyList().encode(objects);
            d.writeInt(encoded.length);
            d.write(encoded);
        }
    }

    private static Spawn readSpawn(DataInputStream d, Settings settings, String secret) throws IOException {
        int flags = d.readUnsignedByte();
        Spawn s = Spawn.of(Concurrency.valueOf(d.readUTF()));
        String aid = readNullable(d);
        String name = readNullable(d);
        String behaviour = readNullable(d);
        if (aid != null) {
            s = s.aid(aid);
        }
        if (name != null) {
            s = s.name(name);
        }
        if (behaviour != null) {
            s = s.behaviour(behaviourClass(behaviour));
        }
        if ((flags & HAS_HANDSHAKE_TIMEOUT) != 0) {
            s = s.handshakeTimeout(Duration.ofSeconds(d.readLong(), d.readInt()));
        }
        int options = d.readUnsignedShort();
        if (options > 0) {
            String[] o = new String[options];
            for (int i = 0; i < options; i++) {
                o[i] = d.readUTF();
            }
            s = s.jvmOptions(o);
        }
        int overrides = d.readUnsignedShort();
        for (int i = 0; i < overrides; i++) {
            s = s.setting(d.readUTF(), d.readUTF());
        }
        if ((flags & CPU_BOUND) != 0) {
            s = s.cpuBound();
        }
        if ((flags & HAS_USER_OBJECTS) != 0) {
            int size = d.readInt();
            if (size < 2 || size > d.available()) {
                throw new IOException("corrupt child spec: hooks and params of " + size + " bytes, " + d.available() + " left");
            }
            byte[] encoded = d.readNBytes(size);
            // The actor's mailbox codec: serialization_allow and the deny-list, as for any value it receives.
            ObjectCodec codec = MailboxConfig.of(settings, secret).codec();
            if (!(codec.decode(encoded) instanceof List<?> objects) || objects.size() != 4
                    || !(objects.get(3) instanceof Map<?, ?> params)) {
                throw new IOException("corrupt child spec: hooks and params are not [onStart, onStop, onInfo, params]");
            }
            try {
                if (objects.get(0) != null) {
                    s = s.onStart((ActorHook) objects.get(0));
                }
                if (objects.get(1) != null) {
                    s = s.onStop((ActorHook) objects.get(1));
                }
                if (objects.get(2) != null) {
                    s = s.onInfo((InfoHook) objects.get(2));
                }
            } catch (ClassCastException e) {
                throw new IOException("corrupt child spec: a hook of the wrong type (" + e.getMessage() + ")", e);
            }
            for (Map.Entry<?, ?> e : params.entrySet()) {
                s = s.param(String.valueOf(e.getKey()), e.getValue());
            }
        }
        return s;
    }

    /**
     * The behaviour class, loaded but not initialized (the actor's loop creates it, and reports
     * a failure there); the parent checked it, from the same class path.
     */
    @SuppressWarnings("unchecked")
    private static Class<? extends pulsar.ActorBehaviour> behaviourClass(String name) throws IOException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> type = Class.forName(name, false, cl == null ? ChildSpec.class.getClassLoader() : cl);
            if (!pulsar.ActorBehaviour.class.isAssignableFrom(type)) {
                throw new IOException("child spec: behaviour " + name + " is not an ActorBehaviour");
            }
            return (Class<? extends pulsar.ActorBehaviour>) type;
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IOException("child spec: behaviour class " + name + " not found on this JVM's class path", e);
        }
    }

    private static void writeNullable(DataOutputStream d, String s) throws IOException {
        d.writeBoolean(s != null);
        if (s != null) {
            d.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream d) throws IOException {
        return d.readBoolean() ? d.readUTF() : null;
    }
}
