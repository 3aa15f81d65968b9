package pulsar.impl.mailbox;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pulsar.impl.resp.RespSimple;
import pulsar.impl.resp.TaggedBytes;
import pulsar.impl.serial.ObjectCodec;

/**
 * Values as they come out of a mailbox. {@link #copy} gives an in-JVM send the very values a
 * socket round trip gives (numbers widened, collections copied, other objects deep-copied
 * through the codec), so actors never share mutable state and both paths behave alike.
 */
public final class Values {
    private Values() {
    }

    /** The value a socket round trip would deliver; objects are encoded and decoded by {@code codec}. */
    public static Object copy(Object v, ObjectCodec codec) {
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
        if (v instanceof CharSequence cs) {
            return cs.toString();
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(copy(k, codec), copy(x, codec)));
            return out;
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>();
            s.forEach(x -> out.add(copy(x, codec)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(copy(x, codec)));
            return out;
        }
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (Object x : a) {
                out.add(copy(x, codec));
            }
            return out;
        }
        return codec.decode(codec.encode(v));
    }

    /** Copies every argument, as {@link #copy}. */
    public static List<Object> copyAll(Object[] args, ObjectCodec codec) {
        List<Object> out = new ArrayList<>(args.length);
        for (Object a : args) {
            out.add(copy(a, codec));
        }
        return out;
    }

    /** Decodes every tagged object inside a decoded RESP value. Call only after AUTH. */
    public static Object decodeTagged(Object v, ObjectCodec codec) {
        if (v instanceof TaggedBytes t) {
            return codec.decode(t.bytes());
        }
        if (v instanceof List<?> l) {
            List<Object> out = null;
            for (int i = 0; i < l.size(); i++) {
                Object x = l.get(i);
                Object d = decodeTagged(x, codec);
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
            m.forEach((k, x) -> out.put(decodeTagged(k, codec), decodeTagged(x, codec)));
            return out;
        }
        if (v instanceof Set<?> s) {
            Set<Object> out = new LinkedHashSet<>();
            s.forEach(x -> out.add(decodeTagged(x, codec)));
            return out;
        }
        return v;
    }
}
