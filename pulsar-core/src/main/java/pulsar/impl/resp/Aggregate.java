package pulsar.impl.resp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One partially filled aggregate on the decoder's stack. Instances are reused across frames
 * so steady-state decoding of nested replies allocates only the containers themselves.
 */
final class Aggregate {
    // Never pre-size beyond this: a header alone must not make us allocate a huge container.
    private static final int MAX_PRESIZE = 1024;

    byte type;
    /** Elements still expected; maps and attributes count keys and values separately. */
    long remaining;
    private List<Object> list;
    private LinkedHashMap<Object, Object> map;
    private LinkedHashSet<Object> set;
    private Object pendingKey;

    void start(byte type, long count) {
        this.type = type;
        this.remaining = count;
        int presize = (int) Math.min(count, MAX_PRESIZE);
        switch (type) {
            case '%' -> map = LinkedHashMap.newLinkedHashMap(presize / 2);
            case '~' -> set = LinkedHashSet.newLinkedHashSet(presize);
            case '|' -> { } // attributes are read and dropped
            default -> list = new ArrayList<>(presize);
        }
    }

    /** Adds one element and reports whether the aggregate is now complete. */
    boolean add(Object value) {
        switch (type) {
            case '%' -> {
                // Keys arrive when an even number of elements remains (count is 2n).
                if ((remaining & 1) == 0) {
                    pendingKey = value;
                } else {
                    map.put(pendingKey, value);
                    pendingKey = null;
                }
            }
            case '~' -> set.add(value);
            case '|' -> { }
            default -> list.add(value);
        }
        return --remaining == 0;
    }

    /** The finished Java value; also drops references so a pooled frame does not pin memory. */
    Object finish() {
        Object result = switch (type) {
            case '%' -> map;
            case '~' -> set;
            case '>' -> new RespPush(list);
            case '|' -> null;
            default -> list;
        };
        list = null;
        map = null;
        set = null;
        pendingKey = null;
        return result;
    }

    /** An empty aggregate of the given type, for {@code *0}, {@code %0} and friends. */
    static Object empty(byte type) {
        return switch (type) {
            case '%' -> new LinkedHashMap<>();
            case '~' -> new LinkedHashSet<>();
            case '>' -> new RespPush(new ArrayList<>());
            default -> new ArrayList<>();
        };
    }
}
