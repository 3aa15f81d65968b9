package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client's map of outstanding requests behaves as a HashMap, whatever order replies come in. */
class InFlightTest {
    @Test
    void sequentialIds_repliesInAnyOrder_matchAHashMap() {
        Random random = new Random(42);
        InFlight<String> map = new InFlight<>();
        Map<Long, String> reference = new HashMap<>();
        ArrayDeque<Long> outstanding = new ArrayDeque<>();
        long next = 0;
        for (int step = 0; step < 200_000; step++) {
            if (reference.size() < 3000 && (reference.isEmpty() || random.nextInt(3) > 0)) {
                long id = ++next;
                map.put(id, "v" + id);
                reference.put(id, "v" + id);
                outstanding.add(id);
            } else {
                // mostly the oldest (in-order replies), sometimes a random one, sometimes an unknown id
                long id = random.nextInt(10) == 0 ? next - random.nextInt((int) Math.min(next, 5000)) : outstanding.peek();
                assertThat(map.remove(id)).isEqualTo(reference.remove(id));
                outstanding.remove(id);
            }
            assertThat(map.size()).isEqualTo(reference.size());
        }
        for (Map.Entry<Long, String> e : reference.entrySet()) {
            assertThat(map.remove(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(map.size()).isZero();
        assertThat(map.remove(1)).isNull();
    }

    @Test
    void clear_returnsEveryValue_andEmpties() {
        InFlight<Integer> map = new InFlight<>();
        for (int i = 0; i < 1000; i++) {
            map.put(i * 7L, i);
        }
        assertThat(map.clear()).hasSize(1000).containsAll(java.util.stream.IntStream.range(0, 1000).boxed().toList());
        assertThat(map.size()).isZero();
        assertThat(map.remove(7)).isNull();
        map.put(7, 1);
        assertThat(map.remove(7)).isEqualTo(1);
    }
}
