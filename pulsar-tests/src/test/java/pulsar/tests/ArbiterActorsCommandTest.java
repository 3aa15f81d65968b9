package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.RedisCli;

/**
 * The arbiter's actor table, a page at a time: {@code info} lists the 1,000 oldest actors and
 * {@code actors_total}; {@code actors [CURSOR [COUNT]]} pages through all of them as Redis's
 * {@code SCAN} does, so that a table of many co-located actors never makes one huge reply.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArbiterActorsCommandTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    private static final int N = 1_100;
    private static final List<ActorProxy> actors = new ArrayList<>();

    @BeforeAll
    static void spawnMany() throws Exception {
        List<CompletableFuture<ActorProxy>> spawning = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            spawning.add(Pulsar.spawn(Spawn.thread().colocated().name("paged-" + i)));
        }
        for (CompletableFuture<ActorProxy> f : spawning) {
            actors.add(f.get(60, TimeUnit.SECONDS));
        }
    }

    @AfterAll
    static void stopThem() {
        for (ActorProxy p : actors) {
            Pulsar.send("arbiter", "kill_actor", p.aid());
        }
        await().atMost(ArbiterExtension.deadline()).until(() -> Pulsar.arbiter().actors().isEmpty());
    }

    private static Object call(Object... args) throws Exception {
        return Pulsar.send("arbiter", (String) args[0], java.util.Arrays.copyOfRange(args, 1, args.length)).get(20, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void info_listsTheOldestThousand_andTheTotal() throws Exception {
        Map<String, Object> info = (Map<String, Object>) call("info");
        List<Map<String, Object>> listed = (List<Map<String, Object>>) info.get("actors");
        assertThat(listed).hasSize(1000);
        assertThat(((Number) info.get("actors_total")).longValue()).isGreaterThanOrEqualTo(N);
        List<Long> ages = listed.stream().map(m -> (Long) m.get("age")).toList();
        assertThat(ages).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @SuppressWarnings("unchecked")
    void actors_pagesThroughEveryActor_onceEach_oldestFirst() throws Exception {
        Set<String> seen = new HashSet<>();
        List<Long> ages = new ArrayList<>();
        long cursor = 0;
        int pages = 0;
        do {
            Map<String, Object> page = (Map<String, Object>) call("actors", cursor, 300L);
            List<Map<String, Object>> listed = (List<Map<String, Object>>) page.get("actors");
            assertThat(listed.size()).isLessThanOrEqualTo(300);
            for (Map<String, Object> m : listed) {
                assertThat(seen.add((String) m.get("aid"))).as("listed once: %s", m.get("aid")).isTrue();
                ages.add((Long) m.get("age"));
            }
            cursor = ((Number) page.get("cursor")).longValue();
            pages++;
        } while (cursor != 0 && pages < 100);
        assertThat(cursor).isZero();
        assertThat(ages).isSorted();
        assertThat(seen).containsAll(actors.stream().map(ActorProxy::aid).toList());
        assertThat(pages).isBetween(N / 300 + 1, N / 300 + 3);
    }

    @Test
    void actors_refusesABadCursorOrCount_withAClearError() {
        for (Object[] bad : new Object[][] {{"x"}, {-1L}, {0L, 0L}, {0L, 10_001L}, {0L, 1L, 2L}}) {
            assertThat(Pulsar.send("arbiter", "actors", bad)).failsWithin(java.time.Duration.ofSeconds(20))
                    .withThrowableOfType(ExecutionException.class).satisfies(e -> assertThat(e.getCause().getMessage()).containsAnyOf("actors", "integer"));
        }
        assertThat(Pulsar.send("arbiter", "ping")).succeedsWithin(java.time.Duration.ofSeconds(20)).isEqualTo("PONG");
    }

    @Test
    void redisCli_pagesWithActors() throws Exception {
        Assumptions.assumeTrue(RedisCli.available() || "true".equals(System.getenv("CI")), "redis-cli is not installed");
        int port = Pulsar.arbiter().address().getPort();
        String secret = Pulsar.secret(Pulsar.arbiter().settings());
        String out = RedisCli.call(port, secret, "actors", "0", "2");
        assertThat(out.lines().filter(l -> l.equals("aid")).count()).isEqualTo(2);
        assertThat(out).startsWith("cursor");
        assertThat(RedisCli.call(port, secret, "actors", "nope")).contains("ERR").contains("integer");
    }
}
