package pulsar.impl.mailbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The requests a {@link MailboxClient} awaits replies for, by id: an open-addressing map of
 * {@code long} to value, so that a request costs no boxed key and no node. Ids are sequential;
 * the hash spreads them (Fibonacci hashing), so that consecutive ids do not form the long runs
 * that make linear probing, and its removal, slow (as Netty's {@code LongObjectHashMap} does
 * with sequential keys). Not thread-safe: confined to the connection's loop.
 */
final class InFlight<V> {
    private static final int MIN_CAPACITY = 64;

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;
    private int shift;

    InFlight() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int size() {
        return size;
    }

    /** Adds {@code value} (not null) under {@code key}, which must not be present. */
    void put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = slot(key);
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes and returns the value under {@code key}, or null when there is none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = slot(key);
        while (values[i] != null) {
            if (keys[i] == key) {
                V v = (V) values[i];
                deleteAt(i);
                size--;
                return v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Backward-shift deletion: moves later entries of the run into the hole, so no tombstones. */
    private void deleteAt(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(keys[i]);
            // The entry at i may move to the hole unless its home lies cyclically in (hole, i].
            boolean stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!stays) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    /** Removes every value and returns them. */
    @SuppressWarnings("unchecked")
    List<V> clear() {
        List<V> all = new ArrayList<>(size);
        for (Object v : values) {
            if (v != null) {
                all.add((V) v);
            }
        }
        if (keys.length > MIN_CAPACITY) {
            allocate(MIN_CAPACITY);
        } else {
            Arrays.fill(values, null);
        }
        size = 0;
        return all;
    }
}
