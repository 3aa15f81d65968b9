package pulsar.impl.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Encodes Java values as RESP2 or RESP3 frames into a {@link ByteBuf}.
 *
 * <p>Mapping: {@code null}/{@link RespNull} null; String and other CharSequence bulk string
 * (UTF-8); {@link RespSimple} {@code +}; {@link RespError} {@code -}; Long, Integer, Short,
 * Byte {@code :}; Double, Float RESP3 {@code ,} else bulk string; Boolean RESP3 {@code #}
 * else {@code :1}/{@code :0}; BigInteger RESP3 {@code (} else bulk string; {@code byte[]} and
 * {@link TaggedBytes} bulk string of the raw bytes; Map RESP3 {@code %} else flat array;
 * Set RESP3 {@code ~} else array; {@link RespPush} RESP3 {@code >} else array; other
 * Collections and {@code Object[]} array; anything else goes through the {@link ObjectEncoder}
 * and is written as a bulk string.
 *
 * <p>If encoding fails part-way the buffer is reset to where it was, so a half-written frame
 * never reaches the wire. A frame may be given a byte limit: every value written costs at least
 * three bytes, so the limit bounds the work too, even for a list that shares its sub-lists (written
 * expanded, it could be exponentially larger than the object graph).
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] NULL_RESP2 = ascii("$-1\r\n");
    private static final byte[] NULL_RESP3 = ascii("_\r\n");
    private static final byte[] TRUE_RESP3 = ascii("#t\r\n");
    private static final byte[] FALSE_RESP3 = ascii("#f\r\n");
    private static final byte[] ONE = ascii(":1\r\n");
    private static final byte[] ZERO = ascii(":0\r\n");
    // Deeper than any sane reply; stops a self-containing collection before a StackOverflowError.
    private static final int MAX_NESTING = 1000;

    private RespWriter() {
    }

    /** Thrown deep in the recursion, turned into {@link RespLimits#tooLarge} where the limit is known. */
    private static final class TooLarge extends RuntimeException {
        static final TooLarge INSTANCE = new TooLarge();

        private TooLarge() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes one value as a complete frame.
     *
     * @param protocol 2 or 3
     * @param objects  encodes values with no RESP type; may be null if none can occur
     * @throws IllegalArgumentException for a bad protocol, an unencodable value or excessive nesting
     */
    public static void write(ByteBuf out, Object value, int protocol, ObjectEncoder objects) {
        write(out, value, protocol, objects, Integer.MAX_VALUE);
    }

    /**
     * Writes one value as a complete frame of at most {@code maxBytes} bytes.
     *
     * @throws IllegalArgumentException as {@link #write(ByteBuf, Object, int, ObjectEncoder)}, and
     *                                  {@link RespLimits#tooLarge} when the frame would exceed {@code maxBytes}
     */
    public static void write(ByteBuf out, Object value, int protocol, ObjectEncoder objects, int maxBytes) {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, got " + protocol);
        }
        int mark = out.writerIndex();
        try {
            writeValue(out, value, protocol == 3, objects, 0, limit(mark, maxBytes));
        } catch (TooLarge e) {
            out.writerIndex(mark);
            throw RespLimits.tooLarge(maxBytes);
        } catch (RuntimeException e) {
            out.writerIndex(mark);
            throw e;
        }
    }

    /**
     * Writes a request: an array of the command name and its arguments, the arguments typed as
     * under RESP3 (our client speaks RESP3 and our server accepts typed request elements).
     */
    public static void writeCommand(ByteBuf out, String name, List<?> args, ObjectEncoder objects) {
        writeCommand(out, name, args, objects, Integer.MAX_VALUE);
    }

    /** Writes a request as {@link #writeCommand(ByteBuf, String, List, ObjectEncoder)}, of at most {@code maxBytes} bytes. */
    public static void writeCommand(ByteBuf out, String name, List<?> args, ObjectEncoder objects, int maxBytes) {
        Objects.requireNonNull(name, "name");
        int mark = out.writerIndex();
        long limit = limit(mark, maxBytes);
        try {
            header(out, '*', args.size() + 1);
            writeBulk(out, name, limit);
            for (Object arg : args) {
                writeValue(out, arg, true, objects, 1, limit);
            }
        } catch (TooLarge e) {
            out.writerIndex(mark);
            throw RespLimits.tooLarge(maxBytes);
        } catch (RuntimeException e) {
            out.writerIndex(mark);
            throw e;
        }
    }

    /**
     * The bytes of {@code text} as a RESP bulk string, to write again and again with
     * {@link #writeTaggedCommand} or {@link #writeTaggedPush} without encoding it each time.
     */
    public static byte[] bulk(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("$" + utf8.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + utf8.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(utf8, 0, all, head.length, utf8.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    /**
     * Writes a tagged request {@code [tag, id, command, args...]}, the same bytes as
     * {@link #writeCommand(ByteBuf, String, List, ObjectEncoder, int)} of the tag word and the list
     * {@code [id, command, args...]}, without building that list; appends to whatever {@code out}
     * holds already, and on failure leaves it as it was.
     *
     * @param tag the tag word as {@link #bulk(String)} encoded it
     */
    public static void writeTaggedCommand(ByteBuf out, byte[] tag, long id, String command, Object[] args,
            ObjectEncoder objects, int maxBytes) {
        Objects.requireNonNull(command, "command");
        int mark = out.writerIndex();
        long limit = limit(mark, maxBytes);
        try {
            taggedHead(out, '*', args.length + 3L, tag, id);
            writeBulk(out, command, limit);
            for (Object arg : args) {
                writeValue(out, arg, true, objects, 1, limit);
            }
        } catch (TooLarge e) {
            out.writerIndex(mark);
            throw RespLimits.tooLarge(maxBytes);
        } catch (RuntimeException e) {
            out.writerIndex(mark);
            throw e;
        }
    }

    /**
     * Writes the push {@code [kind, id, value]} (under RESP2 an array), the same bytes as
     * {@link #write(ByteBuf, Object, int, ObjectEncoder, int)} of a {@link RespPush} of those three,
     * without building it; appends to whatever {@code out} holds already, and on failure leaves it
     * as it was.
     *
     * @param kind the first element as {@link #bulk(String)} encoded it
     */
    public static void writeTaggedPush(ByteBuf out, byte[] kind, long id, Object value, int protocol,
            ObjectEncoder objects, int maxBytes) {
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("protocol must be 2 or 3, got " + protocol);
        }
        boolean resp3 = protocol == 3;
        int mark = out.writerIndex();
        long limit = limit(mark, maxBytes);
        try {
            taggedHead(out, resp3 ? '>' : '*', 3, kind, id);
            writeValue(out, value, resp3, objects, 1, limit);
        } catch (TooLarge e) {
            out.writerIndex(mark);
            throw RespLimits.tooLarge(maxBytes);
        } catch (RuntimeException e) {
            out.writerIndex(mark);
            throw e;
        }
    }

    /** The writer index a frame starting at {@code mark} must not pass. */
    private static long limit(int mark, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        return (long) mark + maxBytes;
    }

    private static void writeValue(ByteBuf out, Object value, boolean resp3, ObjectEncoder objects, int depth,
            long limit) {
        if (out.writerIndex() > limit) {
            throw TooLarge.INSTANCE;
        }
        if (value == null || value == RespNull.INSTANCE) {
            put(out, resp3 ? NULL_RESP3 : NULL_RESP2);
        } else if (value instanceof String s) {
            writeBulk(out, s, limit);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            header(out, ':', ((Number) value).longValue());
        } else if (value instanceof RespSimple simple) {
            writeSimple(out, simple);
        } else if (value instanceof RespError error) {
            writeLine(out, '-', error.message());
        } else if (value instanceof byte[] bytes) {
            // Through the object encoder when there is one, so byte[] comes back as byte[], not a String.
            writeBulk(out, objects == null ? bytes : objects.encode(bytes), limit);
        } else if (value instanceof TaggedBytes tagged) {
            writeBulk(out, tagged.bytes(), limit);
        } else if (value instanceof CharSequence chars) {
            writeBulk(out, chars, limit);
        } else if (value instanceof Boolean b) {
            put(out, resp3 ? (b ? TRUE_RESP3 : FALSE_RESP3) : (b ? ONE : ZERO));
        } else if (value instanceof Double || value instanceof Float) {
            writeDouble(out, (Number) value, resp3);
        } else if (value instanceof BigInteger big) {
            if (resp3) {
                writeLine(out, '(', big.toString());
            } else {
                writeBulk(out, big.toString(), limit);
            }
        } else {
            writeComposite(out, value, resp3, objects, depth, limit);
        }
    }

    private static void writeComposite(ByteBuf out, Object value, boolean resp3, ObjectEncoder objects,
            int depth, long limit) {
        if (depth >= MAX_NESTING) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_NESTING
                    + " levels (does a collection contain itself?)");
        }
        int inner = depth + 1;
        if (value instanceof RespPush push) {
            writeElements(out, resp3 ? '>' : '*', push.values(), resp3, objects, inner, limit);
        } else if (value instanceof Map<?, ?> map) {
            if (resp3) {
                header(out, '%', map.size());
            } else {
                header(out, '*', 2L * map.size());
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writeValue(out, e.getKey(), resp3, objects, inner, limit);
                writeValue(out, e.getValue(), resp3, objects, inner, limit);
            }
        } else if (value instanceof Set<?> set) {
            writeElements(out, resp3 ? '~' : '*', set, resp3, objects, inner, limit);
        } else if (value instanceof Collection<?> collection) {
            writeElements(out, '*', collection, resp3, objects, inner, limit);
        } else if (value instanceof Object[] array) {
            header(out, '*', array.length);
            for (Object element : array) {
                writeValue(out, element, resp3, objects, inner, limit);
            }
        } else {
            writeBulk(out, encodeObject(value, objects), limit);
        }
    }

    private static void writeElements(ByteBuf out, char type, Collection<?> elements, boolean resp3,
            ObjectEncoder objects, int depth, long limit) {
        header(out, type, elements.size());
        if (elements instanceof List<?> list && elements instanceof RandomAccess) {
            // Indexed access avoids an Iterator per list on the hot reply path.
            for (int i = 0, n = list.size(); i < n; i++) {
                writeValue(out, list.get(i), resp3, objects, depth, limit);
            }
        } else {
            for (Object element : elements) {
                writeValue(out, element, resp3, objects, depth, limit);
            }
        }
    }

    private static byte[] encodeObject(Object value, ObjectEncoder objects) {
        if (objects == null) {
            throw new IllegalArgumentException("no ObjectEncoder to send a " + value.getClass().getName());
        }
        byte[] bytes = objects.encode(value);
        if (bytes == null) {
            throw new IllegalArgumentException("ObjectEncoder returned null for a " + value.getClass().getName());
        }
        return bytes;
    }

    private static void writeSimple(ByteBuf out, RespSimple simple) {
        if (simple == RespSimple.OK) {
            put(out, OK);
        } else if (simple == RespSimple.PONG) {
            put(out, PONG);
        } else {
            writeLine(out, '+', simple.value());
        }
    }

    private static void writeDouble(ByteBuf out, Number number, boolean resp3) {
        double d = number.doubleValue();
        String text;
        if (Double.isNaN(d)) {
            text = "nan";
        } else if (Double.isInfinite(d)) {
            text = d > 0 ? "inf" : "-inf";
        } else {
            // Float.toString keeps 1.1f as "1.1" instead of its widened 1.100000023841858.
            text = number instanceof Float f ? Float.toString(f) : Double.toString(d);
        }
        if (resp3) {
            writeLine(out, ',', text);
        } else {
            writeBulk(out, text, Long.MAX_VALUE);
        }
    }

    /** A one-line frame; CR and LF become spaces so the text cannot end the frame early and inject another. */
    private static void writeLine(ByteBuf out, char type, String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            text = text.replace('\r', ' ').replace('\n', ' ');
        }
        out.writeByte(type);
        ByteBufUtil.writeUtf8(out, text);
        put(out, CRLF);
    }

    private static void writeBulk(ByteBuf out, CharSequence text, long limit) {
        if (text instanceof String s && s.length() <= SHORT_ASCII && out.hasArray() && isAscii(s)) {
            writeShortAscii(out, s, limit);
            return;
        }
        int length = ByteBufUtil.utf8Bytes(text);
        if (out.writerIndex() + (long) length > limit) {
            throw TooLarge.INSTANCE;
        }
        out.ensureWritable(length + 16);
        header(out, '$', length);
        ByteBufUtil.writeUtf8(out, text);
        put(out, CRLF);
    }

    private static void writeBulk(ByteBuf out, byte[] bytes, long limit) {
        if (out.writerIndex() + (long) bytes.length > limit) {
            throw TooLarge.INSTANCE;
        }
        out.ensureWritable(bytes.length + 16);
        header(out, '$', bytes.length);
        out.writeBytes(bytes);
        put(out, CRLF);
    }

    /** Strings up to this long are checked for ASCII and, if so, written by {@link #writeShortAscii}. */
    private static final int SHORT_ASCII = 64;

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * A short ASCII bulk string (a command name, most arguments and replies) straight into a heap
     * buffer's array with one capacity check: each {@code ByteBuf} call checks the buffer's
     * reference count, which showed as the top self frame of the arbiter's loop. Same bytes and
     * limit check as the general {@link #writeBulk(ByteBuf, CharSequence, long)}.
     */
    private static void writeShortAscii(ByteBuf out, String s, long limit) {
        int length = s.length();
        if (out.writerIndex() + (long) length > limit) {
            throw TooLarge.INSTANCE;
        }
        out.ensureWritable(length + 16);
        byte[] a = out.array();
        int base = out.arrayOffset();
        int at = base + out.writerIndex();
        a[at++] = '$';
        at = AsciiDigits.put(a, at, length);
        a[at++] = '\r';
        a[at++] = '\n';
        for (int i = 0; i < length; i++) {
            a[at++] = (byte) s.charAt(i);
        }
        a[at++] = '\r';
        a[at++] = '\n';
        out.writerIndex(at - base);
    }

    /**
     * The head of a tagged frame, {@code TYPE COUNT, WORD, :ID}, with one capacity check straight
     * into a heap buffer's array (see {@link #writeShortAscii}).
     */
    private static void taggedHead(ByteBuf out, char type, long count, byte[] word, long id) {
        if (!out.hasArray()) {
            header(out, type, count);
            put(out, word);
            header(out, ':', id);
            return;
        }
        out.ensureWritable(46 + word.length);
        byte[] a = out.array();
        int base = out.arrayOffset();
        int at = base + out.writerIndex();
        a[at++] = (byte) type;
        at = AsciiDigits.put(a, at, count);
        a[at++] = '\r';
        a[at++] = '\n';
        System.arraycopy(word, 0, a, at, word.length);
        at += word.length;
        a[at++] = ':';
        at = AsciiDigits.put(a, at, id);
        a[at++] = '\r';
        a[at++] = '\n';
        out.writerIndex(at - base);
    }

    private static void header(ByteBuf out, char type, long number) {
        if (out.hasArray()) {
            // Straight into the array: one capacity check for the whole line, none per byte.
            out.ensureWritable(23);
            byte[] a = out.array();
            int base = out.arrayOffset();
            int at = base + out.writerIndex();
            a[at++] = (byte) type;
            at = AsciiDigits.put(a, at, number);
            a[at++] = '\r';
            a[at++] = '\n';
            out.writerIndex(at - base);
            return;
        }
        out.writeByte(type);
        AsciiDigits.write(out, number);
        put(out, CRLF);
    }

    /** Appends {@code bytes}: into a heap buffer's array with one capacity check. */
    private static void put(ByteBuf out, byte[] bytes) {
        if (out.hasArray()) {
            out.ensureWritable(bytes.length);
            int w = out.writerIndex();
            System.arraycopy(bytes, 0, out.array(), out.arrayOffset() + w, bytes.length);
            out.writerIndex(w + bytes.length);
        } else {
            out.writeBytes(bytes);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
