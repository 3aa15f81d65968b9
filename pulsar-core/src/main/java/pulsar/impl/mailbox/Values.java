package pulsar.impl.mailbox;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulsar.impl.resp.RespPush;
import pulsar.impl.resp.RespSimple;
import pulsar.impl.resp.TaggedBytes;
import pulsar.impl.serial.ObjectCodec;

/**
 * Values as they come out of a mailbox. {@link #copy} gives an in-JVM send the very values a
 * socket round trip gives (numbers widened, collections copied, other objects deep-copied
 * through the codec), so actors never share mutable state and both paths behave alike,
 * including the message limit: a copy that the socket would write larger than
 * {@link ObjectCodec#maxLength()} fails with the same error (a list that shares sub-lists is
 * copied expanded, as the socket sends it, so the limit also bounds the work).
 */
final class Values {
    private Values() {
    }

    /** What is left of the message limit while copying; made only for collections and objects. */
    private static final class Meter {
        private final int limit;
        private long left;

        Meter(int limit, long left) {
            this.limit = limit;
            this.left = left;
        }

        void charge(long bytes) {
            left -= bytes;
            if (left < 0) {
                throw ObjectCodec.tooLarge(limit);
            }
        }
    }

    /** The value a socket round trip would deliver; objects are encoded and decoded by {@code codec}. */
    public static Object copy(Object v, ObjectCodec codec) {
        Object scalar = copyScalar(v);
        if (scalar == NOT_SCALAR) {
            return copy(v, codec, new Meter(codec.maxLength(), codec.maxLength()));
        }
        if (size(scalar) > codec.maxLength()) {
            throw ObjectCodec.tooLarge(codec.maxLength());
        }
        return scalar;
    }

    /** Copies every argument, as {@link #copy}, all of them together within the message limit. */
    public static List<Object> copyAll(Object[] args, ObjectCodec codec) {
        if (args.length == 0) {
            return List.of(); // a command without arguments, such as ping: nothing to copy
        }
        List<Object> out = new ArrayList<>(args.length);
        int limit = codec.maxLength();
        long used = 0; // a counter for the fast path of plain arguments; a meter only for collections and objects
        for (Object a : args) {
            Object copy = copyScalar(a);
            if (copy == NOT_SCALAR) {
                Meter meter = new Meter(limit, limit - used);
                copy = copy(a, codec, meter);
                used = limit - meter.left;
            } else {
                used += size(copy);
                if (used > limit) {
                    throw ObjectCodec.tooLarge(limit);
                }
            }
            out.add(copy);
        }
        return out;
    }

    /** The least a scalar takes on the wire: a type byte or header, and CRLF. */
    private static long size(Object scalar) {
        return scalar instanceof String s ? s.length() + 5L : 4;
    }

    private static final Object NOT_SCALAR = new Object();

    /** The copy of a value that needs no metering (small scalars; strings are shared, being immutable). */
    private static Object copyScalar(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Double
                || v instanceof Boolean || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof RespSimple s) {
            return s.value();
        }
        return NOT_SCALAR;
    }

    // Charges are the least the socket would write for each value (a header or type byte and CRLF).
    private static Object copy(Object v, ObjectCodec codec, Meter meter) {
        Object scalar = copyScalar(v);
        if (scalar != NOT_SCALAR) {
            meter.charge(size(scalar));
            return scalar;
        }
        if (v instanceof CharSequence cs) {
            meter.charge(cs.length() + 5L);
            return cs.toString();
        }
        if (v instanceof byte[] b) {
            meter.charge(b.length + 7L);
            return b.clone();
        }
        if (v instanceof RespPush p) {
            v = p.values();
        }
        if (v instanceof Map<?, ?> m) {
            meter.charge(4);
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(copy(k, codec, meter), copy(x, codec, meter)));
            return out;
        }
        if (v instanceof Set<?> s) {
            meter.charge(4);
            Set<Object> out = new LinkedHashSet<>();
            s.forEach(x -> out.add(copy(x, codec, meter)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            meter.charge(4);
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(copy(x, codec, meter)));
            return out;
        }
        if (v instanceof Object[] a) {
            meter.charge(4);
            List<Object> out = new ArrayList<>(a.length);
            for (Object x : a) {
                out.add(copy(x, codec, meter));
            }
            return out;
        }
        byte[] encoded = codec.encode(v);
        meter.charge(encoded.length + 5L);
        return codec.decode(encoded);
    }

    /**
     * Decodes every tagged object inside a decoded RESP value, and turns RESP3 pushes into plain
     * lists: commands see only Java values. Call only after AUTH. All decodes of one call share
     * one hashing budget ({@link ObjectCodec.Budget}).
     */
    public static Object decodeTagged(Object v, ObjectCodec codec) {
        if (v instanceof List<?> l ? plain(l) : plainScalar(v)) {
            return v; // the fast path: strings and numbers (or a request of them), nothing to decode or copy
        }
        return decodeTagged(v, codec, ObjectCodec.budget(), false);
    }

    private static boolean plainScalar(Object x) {
        return x == null || x instanceof String || x instanceof Long || x instanceof Double || x instanceof Boolean;
    }

    private static boolean plain(List<?> l) {
        for (int i = 0, n = l.size(); i < n; i++) {
            Object x = l.get(i);
            if (!(x == null || x instanceof String || x instanceof Long || x instanceof Double || x instanceof Boolean)) {
                return false;
            }
        }
        return true;
    }

    /** @param hashed whether the result will be hashed (inside a set or a map key) */
    private static Object decodeTagged(Object v, ObjectCodec codec, ObjectCodec.Budget budget, boolean hashed) {
        if (v instanceof TaggedBytes t) {
            return codec.decode(t.bytes(), budget, hashed);
        }
        if (v instanceof RespPush p) {
            return decodeTagged(p.values(), codec, budget, hashed);
        }
        if (v instanceof List<?> l) {
            List<Object> out = null;
            for (int i = 0; i < l.size(); i++) {
                Object x = l.get(i);
                Object d = decodeTagged(x, codec, budget, hashed);
                if (d != x && out == null) {
                    out = new ArrayList<>(l);
                }
                if (out != null) {
                    out.set(i, d);
                }
            }
            return out == null ? l : out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(decodeTagged(k, codec, budget, true), decodeTagged(x, codec, budget, hashed)));
            return out;
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>();
            s.forEach(x -> out.add(decodeTagged(x, codec, budget, true)));
            return out;
        }
        return v;
    }
}
