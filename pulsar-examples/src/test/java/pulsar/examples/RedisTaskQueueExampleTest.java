package pulsar.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import pulsar.testkit.RedisServer;

/** The task queue example's failure cases on a real redis-server (started on a free port, stopped by its pid). */
class RedisTaskQueueExampleTest extends TaskQueueExampleCases {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        Assumptions.assumeTrue(RedisServer.available() || System.getenv("CI") != null, "redis-server is not installed");
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    boolean countsTheKilledWorkersTasks() {
        return false; // every result is still checked: a lost task would time out
    }

    @Override
    String queueUrl() {
        return redis.url();
    }
}
