package pulsar.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RedisServer} for a test class: started before its first test, stopped by its PID
 * (and its directory deleted) after the last, even when tests fail.
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * ... TaskQueue.open(redis.server().url()) ...
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
    private RedisServer server;

    /** An extension whose server starts before the class's tests. */
    public RedisServerExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server. */
    public RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the Redis server runs only while the test class does (register the extension as a static field)");
        }
        return server;
    }
}
