package pulsar.impl.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "billion laughs" of Java serialization: a kilobyte of nested hash-based collections that
 * share their children takes 2^levels steps to rebuild, because each key's hashCode walks every
 * path. A decode must refuse such a graph at once, and still decode ordinary collections.
 *
 * <p>The timeouts run each test on its own thread: if the bound were gone, the test fails after
 * 20 s instead of hashing for hours (the abandoned thread would then burn on; only a failing
 * build can leave it).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HashFloodTest {
    private static final int LEVELS = 40; // 2^40 steps unbounded, yet within the 64-level depth limit
    private final ObjectCodec codec = ObjectCodec.denyList();
    private final ObjectCodec strict = ObjectCodec.allowList("com.nothing.*");

    /** Two chains of sets, each level's two sets holding both sets of the next level. */
    static Set<Object> laughingSets(Supplier<Set<Object>> make, int levels) {
        Set<Object> root = make.get();
        Set<Object> s1 = root;
        Set<Object> s2 = make.get();
        for (int i = 0; i < levels; i++) {
            Set<Object> t1 = make.get();
            Set<Object> t2 = make.get();
            t1.add("foo"); // t1 and t2 must differ
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    static Map<Object, Object> laughingMaps(Supplier<Map<Object, Object>> make, int levels) {
        Map<Object, Object> root = make.get();
        Map<Object, Object> m1 = root;
        Map<Object, Object> m2 = make.get();
        for (int i = 0; i < levels; i++) {
            Map<Object, Object> t1 = make.get();
            Map<Object, Object> t2 = make.get();
            t1.put("foo", 1);
            m1.put(t1, 1);
            m1.put(t2, 2);
            m2.put(t1, 1);
            m2.put(t2, 2);
            m1 = t1;
            m2 = t2;
        }
        return root;
    }

    /** Lists that share their sub-lists, inside a HashSet: hashing the one element walks 2^levels paths. */
    static Set<Object> setOfLaughingList(int levels) {
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < levels; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        Set<Object> set = new HashSet<>();
        // Adding hashes the list once here too, so build the set around an empty list and fill it after.
        List<Object> holder = new ArrayList<>();
        set.add(holder);
        holder.add(list);
        return set;
    }

    private void assertRefusedQuickly(ObjectCodec c, Object graph) {
        byte[] tagged = c.encode(graph);
        assertThat(tagged.length).as("the attack is small").isLessThan(64 * 1024);
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.decode(tagged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would hash more than");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }

    @Test
    void nestedHashSets_areRefusedBeforeHashing() {
        assertRefusedQuickly(codec, laughingSets(HashSet::new, LEVELS));
        assertRefusedQuickly(strict, laughingSets(HashSet::new, LEVELS));
    }

    @Test
    void nestedLinkedHashSets_areRefusedBeforeHashing() {
        assertRefusedQuickly(codec, laughingSets(LinkedHashSet::new, LEVELS));
    }

    @Test
    void nestedHashMapKeys_areRefusedBeforeHashing() {
        assertRefusedQuickly(codec, laughingMaps(HashMap::new, LEVELS));
        assertRefusedQuickly(strict, laughingMaps(LinkedHashMap::new, LEVELS));
    }

    @Test
    void nestedHashtableKeys_areRefusedBeforeHashing() {
        assertRefusedQuickly(codec, laughingMaps(Hashtable::new, LEVELS));
        assertRefusedQuickly(codec, laughingMaps(ConcurrentHashMap::new, LEVELS));
        assertRefusedQuickly(codec, laughingMaps(java.util.Properties::new, LEVELS));
    }

    @Test
    void sharedListsInsideAHashSet_areRefusedBeforeHashing() {
        assertRefusedQuickly(strict, setOfLaughingList(LEVELS));
    }

    @Test
    void immutableSetOfLaughingSets_isRefused() {
        // Set.of travels as java.util.CollSer, whose readResolve hashes like HashSet does.
        assertRefusedQuickly(codec, Set.of(laughingSets(HashSet::new, LEVELS), "other"));
        assertRefusedQuickly(codec, Map.of(laughingSets(HashSet::new, LEVELS), "value"));
    }

    @Test
    void aSharedGraphThatIsNotHashed_decodes() {
        // The same sharing inside a list (nothing hashes it) is cheap to decode.
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < LEVELS; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        Object decoded = codec.decode(codec.encode(list));
        assertThat(decoded).isInstanceOf(List.class);
        assertThat(Map.of("k", List.of(1, 2))).isEqualTo(codec.decode(codec.encode(Map.of("k", List.of(1, 2)))));
    }

    @Test
    void ordinaryCollections_stillDecode() {
        Set<String> strings = new HashSet<>();
        Map<String, List<Integer>> map = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            strings.add("s" + i);
            map.put("k" + i, List.of(i, i + 1));
        }
        assertThat(codec.decode(codec.encode((java.io.Serializable) strings))).isEqualTo(strings);
        assertThat(strict.decode(strict.encode((java.io.Serializable) map))).isEqualTo(map);
        Set<Object> small = laughingSets(HashSet::new, 6); // shared, but 2^6 is nothing
        assertThat(codec.decode(codec.encode(small))).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION).hasSize(2);
        assertThat(codec.decode(codec.encode(Set.of(Set.of(1, 2), Map.of("a", 1), List.of(3))))).isEqualTo(Set.of(Set.of(1, 2), Map.of("a", 1), List.of(3)));
    }

    enum Color { RED, GREEN }

    record Point(int x, int y, List<String> tags) implements java.io.Serializable {
    }

    @Test
    void theStructuralPass_readsWhatTheJdkWrites_forManyEverydayTypes() throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("a", "b");
        java.util.PriorityQueue<Integer> queue = new java.util.PriorityQueue<>(List.of(3, 1, 2));
        java.util.EnumMap<Color, String> enumMap = new java.util.EnumMap<>(Color.class);
        enumMap.put(Color.RED, "r");
        java.util.concurrent.ConcurrentSkipListMap<String, Integer> skip = new java.util.concurrent.ConcurrentSkipListMap<>(Map.of("x", 1));
        java.util.BitSet bits = new java.util.BitSet();
        bits.set(3);
        List<Object> values = new ArrayList<>(List.of(
                new IllegalStateException("boom", new RuntimeException("cause")),
                new java.util.Date(0), new java.math.BigDecimal("1.25"), java.math.BigInteger.TEN, Color.GREEN,
                enumMap, new java.util.TreeMap<>(Map.of("b", 2, "a", 1)), java.net.URI.create("https://example.com"),
                java.util.UUID.randomUUID(), java.util.Locale.FRANCE, new int[][] {{1, 2}, {3}}, new char[] {'a'},
                new String[] {"s", null}, new java.util.LinkedList<>(List.of(1, 2)), new java.util.ArrayDeque<>(List.of(1)),
                bits, java.time.Instant.ofEpochSecond(5), java.time.Duration.ofMillis(7), java.time.LocalDate.of(2024, 1, 2),
                java.time.ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, java.time.ZoneId.of("Europe/Paris")),
                new java.util.concurrent.atomic.AtomicInteger(4), skip,
                new java.util.concurrent.CopyOnWriteArrayList<>(List.of("c")),
                java.util.Collections.unmodifiableMap(new HashMap<>(Map.of("u", 1))),
                java.util.Collections.synchronizedList(new ArrayList<>(List.of(1))),
                java.util.Collections.emptyList(), java.util.Collections.singletonMap("k", "v"), java.util.Arrays.asList(1, 2),
                new java.util.IdentityHashMap<>(Map.of("i", 1)), props, new StringBuilder("sb"), String.class, int.class,
                new Point(1, 2, List.of("t")), new java.util.GregorianCalendar(2024, 0, 1),
                java.util.regex.Pattern.compile("a+").pattern(), new java.util.concurrent.ConcurrentHashMap<>(Map.of("c", 1)),
                java.util.Optional.of(1).stream().toList(), Set.of(1, 2, 3), Map.of("m", List.of(1))));
        values.add(new ArrayList<>(values)); // and all of them together, with back-references
        for (Object v : values) {
            byte[] tagged = codec.encode(v);
            assertThat(HashCost.of(tagged, 2, tagged.length - 2, Long.MAX_VALUE, true)).as(v.getClass().getName()).isPositive();
            Object back = codec.decode(tagged);
            assertThat(back.getClass()).as(v.getClass().getName()).isEqualTo(v.getClass());
        }
        Object proxy = java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class},
                (java.lang.reflect.InvocationHandler & java.io.Serializable) (p, m, a) -> null);
        byte[] tagged = codec.encode(proxy);
        assertThat(HashCost.of(tagged, 2, tagged.length - 2, Long.MAX_VALUE, false)).isNotNegative();
    }

    @Test
    void theBudgetIsSharedByARequestsDecodes_andCountsAHashedRoot() {
        Set<Object> medium = laughingSets(HashSet::new, 14); // about 2^15 hashed nodes
        byte[] tagged = codec.encode(medium);
        long one = HashCost.of(tagged, 2, tagged.length - 2, Long.MAX_VALUE, false);
        assertThat(one).isGreaterThan(1L << 14).isLessThan(HashCost.MAX_HASHED);
        assertThat(HashCost.of(tagged, 2, tagged.length - 2, Long.MAX_VALUE, true)).isGreaterThan(one);
        ObjectCodec.Budget budget = ObjectCodec.budget();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                codec.decode(tagged, budget, true);
            }
        }).hasMessageContaining("would hash more than");
    }

    @Test
    void encodingIsBoundedByTheMessageLimit_withTheSameMessageAsEverywhere() {
        ObjectCodec small = codec.withMaxLength(4096);
        assertThat(small.encode("short")).isNotEmpty();
        assertThatThrownBy(() -> small.encode("x".repeat(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(pulsar.impl.resp.RespLimits.tooLarge(4096).getMessage());
        assertThatThrownBy(() -> small.encode(new byte[5000])).hasMessage(ObjectCodec.tooLarge(4096).getMessage());
    }
}
