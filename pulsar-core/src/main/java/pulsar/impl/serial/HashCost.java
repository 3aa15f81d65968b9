package pulsar.impl.serial;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures, before anything is deserialized, how much hashing decoding a Java serialization
 * stream would do, and refuses a stream over its budget.
 *
 * <p>Why: {@code HashSet}, {@code HashMap}, {@code Hashtable}, {@code ConcurrentHashMap} and the
 * immutable {@code Set.of}/{@code Map.of} rebuild themselves on decode by hashing every key, and
 * a key's {@code hashCode} walks the key's whole graph, once per path to each node. A graph that
 * shares sub-collections (a set of two sets that both hold the same two sets, and so on, 40
 * levels deep) is a kilobyte on the wire, within every depth and count limit, and takes 2^40
 * steps to hash: the "billion laughs" of Java serialization. No filter callback happens during
 * that hashing, so it must be priced beforehand.
 *
 * <p>How: the stream grammar (Java Object Serialization Specification, chapter 6) is
 * self-describing, so one linear pass, without loading a class or making an object, finds every
 * object, every back-reference, and the objects each hash-based class level writes in its
 * {@code writeObject} data (its keys). Each object gets the size of the tree it unfolds to (a
 * back-reference counts its target's whole unfolded size, a reference to an object still being
 * read counts 1); the cost of a decode is the sum of the unfolded sizes of all keys hashed. That
 * is an upper bound for the java.util collections, whose {@code hashCode} visits each unfolded
 * node once; a class's own {@code hashCode} counts as one node per path too. The pass is
 * linear in the stream, its recursion bounded.
 *
 * <p>Assumes each {@code writeObject} writes its default fields first, as the specification
 * requires and the JDK's classes do; a stream that does not parse is refused.
 */
final class HashCost {
    /** Keys of all hash-based collections of one decode, counted unfolded (see the class comment). */
    static final long MAX_HASHED = 4_000_000;
    private static final int MAX_NESTING = 256;
    private static final int MAX_CLASS_LEVELS = 64;

    private static final int BASE_HANDLE = 0x7E0000;
    private static final byte SC_WRITE_METHOD = 0x01;
    private static final byte SC_SERIALIZABLE = 0x02;
    private static final byte SC_EXTERNALIZABLE = 0x04;
    private static final byte SC_BLOCK_DATA = 0x08;

    /** What a class level's writeObject data holds: nothing hashed, every object, or every other one (map keys). */
    private enum Hashes { NONE, ALL, KEYS }

    private static final class Desc {
        final String name;
        byte flags;
        int primBytes;
        int objectFields;
        /** Byte offset of CollSer's int {@code tag} among the primitive values, or -1. */
        int tagOffset = -1;
        Desc superDesc;

        Desc(String name) {
            this.name = name;
        }
    }

    /** An object's unfolded size; -1 while it is still being read. */
    private static final class Node {
        long size = -1;
    }

    private static final Node LEAF = new Node();

    static {
        LEAF.size = 1;
    }

    private final byte[] b;
    private final int end;
    private int pos;
    private final List<Object> handles = new ArrayList<>();
    private final long budget;
    private final long maxArrayLength;
    private long hashed;
    private int nesting;

    private HashCost(byte[] b, int offset, int length, long budget) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
        this.budget = budget;
        this.maxArrayLength = StreamFilter.arrayLimit(length);
    }

    /**
     * Prices a stream.
     *
     * @param budget     most unfolded key nodes its decode may hash
     * @param rootHashed whether the decoded value will itself be hashed (a set element or map key),
     *                   which adds its unfolded size
     * @return the unfolded nodes its decode would hash (plus the root's size if {@code rootHashed})
     * @throws IllegalArgumentException when that exceeds {@code budget} or the stream does not parse
     */
    static long of(byte[] bytes, int offset, int length, long budget, boolean rootHashed) {
        HashCost cost = new HashCost(bytes, offset, length, budget);
        try {
            if (cost.u2() != 0xACED || cost.u2() != 5) {
                throw new IllegalArgumentException("cannot decode object: truncated or corrupt payload (not a Java serialization stream)");
            }
            long root = cost.content();
            if (rootHashed) {
                cost.hash(root);
            }
            return cost.hashed;
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("cannot decode object: truncated or corrupt payload (" + e.getMessage() + ")", e);
        }
    }

    private void hash(long size) {
        hashed += size;
        if (hashed > budget) {
            throw new IllegalArgumentException("cannot decode object: its hash-based collections (HashSet, HashMap, "
                    + "Hashtable, Set.of, ...) would hash more than " + budget + " nodes; a key or element that"
                    + " shares nested collections is refused (each path to a shared node is hashed again)");
        }
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 || s > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : s;
    }

    private void enter() {
        if (++nesting > MAX_NESTING) {
            throw new IllegalArgumentException("cannot decode object: object graph nested deeper than "
                    + StreamFilter.MAX_DEPTH + " levels (send long chains as lists instead of linked objects)");
        }
    }

    /** One element: returns its unfolded size (0 for null, a class descriptor or nothing). */
    private long content() {
        enter();
        try {
            int tc = u1();
            switch (tc) {
                case 0x70: // TC_NULL
                    return 0;
                case 0x71: { // TC_REFERENCE
                    Object target = handle();
                    if (target instanceof Node n) {
                        return n.size < 0 ? 1 : n.size;
                    }
                    return 1;
                }
                case 0x74: // TC_STRING
                    handles.add(LEAF);
                    skip(u2());
                    return 1;
                case 0x7C: // TC_LONGSTRING
                    handles.add(LEAF);
                    skip(u8());
                    return 1;
                case 0x76: // TC_CLASS
                    classDesc();
                    handles.add(LEAF);
                    return 1;
                case 0x72, 0x7D: // TC_CLASSDESC, TC_PROXYCLASSDESC as a value
                    pos--;
                    classDesc();
                    return 0;
                case 0x7E: // TC_ENUM
                    classDesc();
                    handles.add(LEAF);
                    content(); // the constant's name
                    return 1;
                case 0x75: // TC_ARRAY
                    return array();
                case 0x73: // TC_OBJECT
                    return object();
                default:
                    throw new IllegalArgumentException(String.format(
                            "cannot decode object: unsupported stream element 0x%02x at byte %d", tc, pos - 1));
            }
        } finally {
            nesting--;
        }
    }

    private long array() {
        Desc desc = classDesc();
        if (desc == null || desc.name.length() < 2 || desc.name.charAt(0) != '[') {
            throw new IllegalArgumentException("cannot decode object: array without an array class");
        }
        Node node = new Node();
        handles.add(node);
        int length = s4();
        if (length < 0) {
            throw new IllegalArgumentException("cannot decode object: truncated or corrupt payload (negative array length " + length + ")");
        }
        if (length > maxArrayLength) {
            // The filter's own check and message, which would come only after the bytes were read.
            throw new IllegalArgumentException("cannot decode object: array length " + length + " exceeds limit " + maxArrayLength);
        }
        long size = 1;
        int width = switch (desc.name.charAt(1)) {
            case 'B', 'Z' -> 1;
            case 'C', 'S' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> 0;
        };
        if (width > 0) {
            skip((long) length * width);
        } else {
            for (int i = 0; i < length; i++) {
                size = add(size, content());
            }
        }
        node.size = size;
        return size;
    }

    private long object() {
        Desc desc = classDesc();
        if (desc == null) {
            throw new IllegalArgumentException("cannot decode object: object without a class");
        }
        Node node = new Node();
        handles.add(node);
        List<Desc> levels = new ArrayList<>(4);
        for (Desc d = desc; d != null; d = d.superDesc) {
            if (levels.size() == MAX_CLASS_LEVELS) {
                throw new IllegalArgumentException("cannot decode object: class hierarchy deeper than " + MAX_CLASS_LEVELS);
            }
            levels.add(d);
        }
        long size = 1;
        for (int i = levels.size() - 1; i >= 0; i--) {
            Desc level = levels.get(i);
            if ((level.flags & SC_EXTERNALIZABLE) != 0) {
                if ((level.flags & SC_BLOCK_DATA) == 0) {
                    throw new IllegalArgumentException("cannot decode object: " + level.name
                            + " uses the pre-1.2 externalizable format");
                }
                size = add(size, annotation(Hashes.NONE));
            } else if ((level.flags & SC_SERIALIZABLE) != 0) {
                int prims = pos;
                skip(level.primBytes);
                Hashes hashes = hashes(level, prims);
                for (int f = 0; f < level.objectFields; f++) {
                    size = add(size, content());
                }
                if ((level.flags & SC_WRITE_METHOD) != 0) {
                    size = add(size, annotation(hashes));
                }
            }
        }
        node.size = size;
        return size;
    }

    /** What the class level hashes on decode; {@code prims} is where its primitive field values start. */
    private Hashes hashes(Desc level, int prims) {
        return switch (level.name) {
            case "java.util.HashSet" -> Hashes.ALL;
            case "java.util.HashMap", "java.util.Hashtable", "java.util.Properties",
                 "java.util.concurrent.ConcurrentHashMap" -> Hashes.KEYS;
            case "java.util.CollSer" -> {
                if (level.tagOffset < 0) {
                    yield Hashes.ALL;
                }
                int at = prims + level.tagOffset;
                int tag = ((b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF)) & 0xFF;
                yield switch (tag) {
                    case 1, 4 -> Hashes.NONE; // List.of
                    case 3 -> Hashes.KEYS;    // Map.of: key, value, key, value
                    default -> Hashes.ALL;    // Set.of and anything unknown
                };
            }
            default -> Hashes.NONE;
        };
    }

    /** Block data and objects up to TC_ENDBLOCKDATA; returns the objects' unfolded sizes. */
    private long annotation(Hashes hashes) {
        long size = 0;
        int index = 0;
        while (true) {
            int tc = u1();
            if (tc == 0x78) { // TC_ENDBLOCKDATA
                return size;
            }
            if (tc == 0x77) { // TC_BLOCKDATA
                skip(u1());
            } else if (tc == 0x7A) { // TC_BLOCKDATALONG
                int n = s4();
                if (n < 0) {
                    throw new IllegalArgumentException("cannot decode object: negative block length");
                }
                skip(n);
            } else {
                pos--;
                long s = content();
                if (hashes == Hashes.ALL || hashes == Hashes.KEYS && (index & 1) == 0) {
                    hash(s);
                }
                index++;
                size = add(size, s);
            }
        }
    }

    private Desc classDesc() {
        enter();
        try {
            return readClassDesc();
        } finally {
            nesting--;
        }
    }

    private Desc readClassDesc() {
        int tc = u1();
        switch (tc) {
            case 0x70: // TC_NULL
                return null;
            case 0x71: { // TC_REFERENCE
                Object target = handle();
                if (target instanceof Desc d) {
                    return d;
                }
                throw new IllegalArgumentException("cannot decode object: a class reference to a non-class");
            }
            case 0x72: { // TC_CLASSDESC
                Desc desc = new Desc(utf());
                skip(8); // serialVersionUID
                handles.add(desc);
                desc.flags = (byte) u1();
                int fields = u2();
                for (int i = 0; i < fields; i++) {
                    int type = u1();
                    String name = utf();
                    switch (type) {
                        case 'B', 'Z' -> desc.primBytes += 1;
                        case 'C', 'S' -> desc.primBytes += 2;
                        case 'I', 'F' -> {
                            if (type == 'I' && name.equals("tag") && desc.name.equals("java.util.CollSer")) {
                                desc.tagOffset = desc.primBytes;
                            }
                            desc.primBytes += 4;
                        }
                        case 'J', 'D' -> desc.primBytes += 8;
                        case 'L', '[' -> {
                            desc.objectFields++;
                            typeString();
                        }
                        default -> throw new IllegalArgumentException("cannot decode object: bad field type code " + type);
                    }
                }
                annotation(Hashes.NONE);
                desc.superDesc = classDesc();
                return desc;
            }
            case 0x7D: { // TC_PROXYCLASSDESC
                Desc desc = new Desc("<proxy>");
                desc.flags = SC_SERIALIZABLE;
                handles.add(desc);
                int interfaces = s4();
                for (int i = 0; i < interfaces; i++) {
                    utf();
                }
                annotation(Hashes.NONE);
                desc.superDesc = classDesc();
                return desc;
            }
            default:
                throw new IllegalArgumentException(String.format(
                        "cannot decode object: expected a class descriptor, got 0x%02x at byte %d", tc, pos - 1));
        }
    }

    private void typeString() {
        int tc = u1();
        if (tc == 0x74) {
            handles.add(LEAF);
            skip(u2());
        } else if (tc == 0x7C) {
            handles.add(LEAF);
            skip(u8());
        } else if (tc == 0x71) {
            handle();
        } else {
            throw new IllegalArgumentException("cannot decode object: bad field type string");
        }
    }

    private Object handle() {
        int h = s4() - BASE_HANDLE;
        if (h < 0 || h >= handles.size()) {
            throw new IllegalArgumentException("cannot decode object: invalid back-reference");
        }
        return handles.get(h);
    }

    private String utf() {
        int n = u2();
        check(n);
        // Class and field names: modified UTF-8, ASCII in practice; a mangled non-ASCII name only weakens a match.
        String s = new String(b, pos, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    private void check(long n) {
        if (n < 0 || n > end - pos) {
            throw new IndexOutOfBoundsException("needs " + n + " bytes at byte " + pos + ", has " + (end - pos));
        }
    }

    private void skip(long n) {
        check(n);
        pos += (int) n;
    }

    private int u1() {
        check(1);
        return b[pos++] & 0xFF;
    }

    private int u2() {
        return u1() << 8 | u1();
    }

    private int s4() {
        return u2() << 16 | u2();
    }

    private long u8() {
        return (long) s4() << 32 | (s4() & 0xFFFFFFFFL);
    }
}
