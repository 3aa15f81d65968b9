package pulsar.impl.serial;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes arbitrary Java objects as tagged bytes and decodes them through a class filter.
 *
 * <p>Wire format: {@link #MARKER} ({@code 0xFF}, never the first byte of UTF-8 text, so tagged
 * payloads are told apart from strings), a format byte, then the payload:
 * {@link #FORMAT_JAVA} a Java serialization stream, {@link #FORMAT_BYTES} a raw {@code byte[]}
 * (so byte arrays survive exactly and cheaply).
 *
 * <p>Trust model: mailboxes decode only after the client authenticated. The default
 * {@link #denyList()} codec then accepts the application's classes except known
 * deserialization gadgets: Commons Collections 3/4 functors, BeanUtils {@code BeanComparator},
 * Xalan/JDK XSLT {@code TemplatesImpl} and the BCEL class loader, {@code javax.management},
 * {@code java.rmi}, {@code sun.rmi}, {@code com.sun.jndi}, {@code javax.naming},
 * {@code com.sun.rowset}, {@code java.beans}, {@code javax.script}, {@code AnnotationInvocationHandler},
 * Groovy, BeanShell, Clojure, Jython, Rhino, Spring bean-factory/AOP, c3p0, json-lib,
 * Hibernate engine/tuple/property, fastjson, FileUpload/Wicket {@code DiskFileItem}, JBoss
 * interceptors, ROME, MyFaces EL, Click and Vaadin (see {@code DenyList}). Triggers that are
 * also everyday types, such as {@code java.util.PriorityQueue} and {@code HashMap}, stay allowed:
 * a chain needs a gadget too. The deny-list applies in strict mode as well.
 *
 * <p>{@link #allowList(String)} is strict: only classes matching the {@code serialization_allow}
 * patterns (JDK {@code ObjectInputFilter} syntax, {@code ;}-separated) plus the framework's own
 * needs (see {@code AllowList.frameworkType}) decode. A serializable lambda travels as a
 * {@code SerializedLambda} naming its capturing class, which must match a pattern too, so users
 * must list their own packages.
 *
 * <p>Every decode also bounds nesting depth ({@value StreamFilter#MAX_DEPTH}), object count,
 * stream size and declared array lengths, against denial of service, and, before reading a byte,
 * the hashing that rebuilding its hash-based collections would do ({@link HashCost}: at most
 * {@value HashCost#MAX_HASHED} nodes, so a set of shared nested sets cannot stall the decoding
 * thread). {@link #withMaxLength(int)} bounds what {@link #encode} produces. Instances are
 * immutable and thread-safe.
 */
public final class ObjectCodec {
    /** First byte of every encoded value. */
    public static final byte MARKER = (byte) 0xFF;
    /** Format byte: a Java serialization stream follows. */
    public static final byte FORMAT_JAVA = 0x01;
    /** Format byte: the raw bytes of a {@code byte[]} follow. */
    public static final byte FORMAT_BYTES = 0x02;

    private static final String HOW_TO_FIX =
            "make it implement java.io.Serializable or send strings, numbers, lists and maps";
    private static final int UNLIMITED = Integer.MAX_VALUE - 8;
    private static final ObjectCodec DENY_LIST = new ObjectCodec(DenyList.GADGETS, null);

    private final DenyList deny;
    private final AllowList allow;
    private final int maxLength;

    /** For tests: a custom deny-list; {@code allow} null means deny-list mode. */
    ObjectCodec(DenyList deny, AllowList allow) {
        this(deny, allow, UNLIMITED);
    }

    private ObjectCodec(DenyList deny, AllowList allow, int maxLength) {
        this.deny = Objects.requireNonNull(deny, "deny");
        this.allow = allow;
        this.maxLength = maxLength;
    }

    /**
     * This codec, encoding at most {@code bytes} bytes per value (the {@code max_message_length}
     * setting); a larger value fails {@link #encode} with the message limit's error.
     */
    public ObjectCodec withMaxLength(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("max length must be at least 2, got " + bytes);
        }
        return bytes == maxLength ? this : new ObjectCodec(deny, allow, bytes);
    }

    /** The most bytes one encoded value may take; also the message limit that in-JVM copies follow. */
    public int maxLength() {
        return maxLength;
    }

    /**
     * The error of a value over the message limit: the same text as {@code RespLimits.tooLarge}
     * (this package does not depend on the RESP one), so every path fails alike.
     */
    public static IllegalArgumentException tooLarge(long limit) {
        return new IllegalArgumentException("value larger than " + limit
                + " bytes, the max_message_length setting (a list that shares sub-lists is sent expanded)");
    }

    /**
     * The hashing budget of one request, shared by all its decodes; one per request, used on one thread.
     */
    public static final class Budget {
        private long left = HashCost.MAX_HASHED;
    }

    /** A fresh budget for one request's decodes. */
    public static Budget budget() {
        return new Budget();
    }

    /** Stops at the limit: a value that would encode larger fails early, having buffered at most the limit. */
    private static final class BoundedOutput extends ByteArrayOutputStream {
        private final int max;

        BoundedOutput(int max) {
            super(256);
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (count >= max) {
                throw tooLarge(max);
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (len > max - count) {
                throw tooLarge(max);
            }
            super.write(b, off, len);
        }
    }

    /** The default codec: application classes allowed, known gadget classes refused. */
    public static ObjectCodec denyList() {
        return DENY_LIST;
    }

    /**
     * A strict codec for the {@code serialization_allow} setting.
     *
     * @param patterns {@code ;}-separated JDK filter patterns, e.g. {@code com.acme.**;java.net.URI}
     * @throws IllegalArgumentException naming {@code serialization_allow} if a pattern is malformed
     */
    public static ObjectCodec allowList(String patterns) {
        return new ObjectCodec(DenyList.GADGETS, AllowList.parse(patterns));
    }

    /** Whether this codec decodes only allow-listed classes. */
    public boolean strict() {
        return allow != null;
    }

    /** The normalised allow patterns, or {@code ""} in deny-list mode. */
    public String allowPatterns() {
        return allow == null ? "" : allow.patterns();
    }

    /**
     * Encodes a value as marker, format and payload.
     *
     * @throws IllegalArgumentException naming the class if the value (or something it holds) is not Serializable
     */
    public byte[] encode(Object value) {
        if (value instanceof byte[] raw) {
            if (raw.length > maxLength - 2) {
                throw tooLarge(maxLength);
            }
            byte[] tagged = new byte[raw.length + 2];
            tagged[0] = MARKER;
            tagged[1] = FORMAT_BYTES;
            System.arraycopy(raw, 0, tagged, 2, raw.length);
            return tagged;
        }
        String name = value == null ? "null" : value.getClass().getName();
        if (value != null && !(value instanceof Serializable)) {
            throw new IllegalArgumentException("cannot send " + name + ": not Serializable (" + hint(name) + ")");
        }
        ByteArrayOutputStream bytes = new BoundedOutput(maxLength);
        bytes.write(MARKER);
        bytes.write(FORMAT_JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            // The JDK's message is just the offending class, which may be nested deep inside.
            throw new IllegalArgumentException("cannot send " + name + ": it contains " + e.getMessage()
                    + ", which is not Serializable (" + hint(e.getMessage()) + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot send " + name + ": serialization failed: " + e, e);
        } catch (StackOverflowError e) {
            // Java serialization recurses per nesting level; the stack is unwound by now, so report it.
            throw new IllegalArgumentException("cannot send " + name + ": object graph nested too deeply to"
                    + " serialize (send long chains as lists instead of linked objects)", e);
        }
        return bytes.toByteArray();
    }

    private static String hint(String className) {
        if (className != null && className.contains("$$Lambda")) {
            return "a lambda is Serializable only if its target type is, e.g. an interface extending"
                    + " java.io.Serializable or a cast such as (Function<A, B> & Serializable)";
        }
        return HOW_TO_FIX;
    }

    /**
     * Decodes tagged bytes produced by {@link #encode}. Classes resolve through the thread
     * context class loader, falling back to this codec's loader.
     *
     * @throws RejectedClassException   if the payload names a class the filter refuses
     * @throws IllegalArgumentException if the payload is not tagged, truncated, corrupt, over a
     *                                  limit or names a class that cannot be found
     */
    public Object decode(byte[] tagged) {
        return decode(tagged, budget(), false);
    }

    /**
     * Decodes as {@link #decode(byte[])}, charging the hashing it does to a request's budget.
     *
     * @param hashed whether the value will be hashed (a set element or map key), which charges its own size too
     * @throws IllegalArgumentException also when the budget does not cover the decode's hashing
     */
    public Object decode(byte[] tagged, Budget budget, boolean hashed) {
        Objects.requireNonNull(tagged, "tagged");
        if (tagged.length < 2) {
            throw new IllegalArgumentException("not an encoded object: " + tagged.length
                    + " bytes, need at least a marker and a format byte");
        }
        if (tagged[0] != MARKER) {
            throw new IllegalArgumentException(String.format(
                    "not an encoded object: first byte is 0x%02x, not the 0xff marker", tagged[0] & 0xFF));
        }
        return switch (tagged[1]) {
            case FORMAT_BYTES -> Arrays.copyOfRange(tagged, 2, tagged.length);
            case FORMAT_JAVA -> {
                budget.left -= HashCost.of(tagged, 2, tagged.length - 2, budget.left, hashed);
                yield readJava(tagged);
            }
            default -> throw new IllegalArgumentException(String.format(
                    "cannot decode object: unknown format byte 0x%02x (sent by a newer or foreign peer?)",
                    tagged[1] & 0xFF));
        };
    }

    private Object readJava(byte[] tagged) {
        int length = tagged.length - 2;
        StreamFilter filter = new StreamFilter(deny, allow, length);
        try (FilteringInputStream in = new FilteringInputStream(
                new ByteArrayInputStream(tagged, 2, length), filter, ObjectCodec.class.getClassLoader())) {
            Object value = in.readObject();
            if (filter.failure() != null) {
                // Some readObject method swallowed the rejection; refuse the whole value anyway.
                throw filter.failure();
            }
            return value;
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
            // A filter rejection surfaces as a bare InvalidClassException; report what the filter saw.
            RuntimeException rejected = filter.failure();
            if (rejected != null) {
                if (rejected != e) {
                    rejected.initCause(e);
                }
                throw rejected;
            }
            if (e instanceof ClassNotFoundException) {
                throw new IllegalArgumentException("cannot decode object: class " + e.getMessage()
                        + " not found (is the sender's class on the receiver's class path?)", e);
            }
            if (e instanceof EOFException || e instanceof ObjectStreamException) {
                throw new IllegalArgumentException("cannot decode object: truncated or corrupt payload (" + e + ")", e);
            }
            throw new IllegalArgumentException("cannot decode object: " + e, e);
        }
    }

    @Override
    public String toString() {
        return strict() ? "ObjectCodec[strict: " + allow.patterns() + "]" : "ObjectCodec[deny-list]";
    }
}
