package pulsar.queue.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulsar.queue.TaskException;
import pulsar.queue.TaskOptions;
import pulsar.queue.spi.QueueBackend;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.QueueLimits;

/** One backend per URL and JVM: made once, closed with its last handle, a failed open leaves nothing. */
class SharedBackendsTest {
    private final List<String> opened = new ArrayList<>();
    private final List<EmbeddedBackend> made = new ArrayList<>();

    private final SharedBackends shared = new SharedBackends(url -> {
        if (url.startsWith("bad")) {
            throw new IllegalArgumentException("cannot open " + url);
        }
        opened.add(url);
        EmbeddedBackend b = new EmbeddedBackend(InstantSource.system(), QueueLimits.defaults(), true);
        made.add(b);
        return b;
    });

    @Test
    void oneBackendPerUrl_closedWithItsLastHandle() {
        QueueBackend a = shared.open("x");
        QueueBackend b = shared.open("x");
        QueueBackend c = shared.open("y");
        assertThat(opened).containsExactly("x", "y");
        assertThat(shared.handles("x")).isEqualTo(2);

        a.close();
        a.close(); // a handle gives itself back once
        assertThat(shared.handles("x")).isEqualTo(1);
        assertThat(a.stats()).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(TaskException.class);
        assertThat(b.stats()).succeedsWithin(Duration.ofSeconds(1));

        b.close();
        assertThat(shared.handles("x")).isZero();
        assertThat(made.get(0).enqueue(task())).as("the backend closed with its last handle").failsWithin(Duration.ofSeconds(1));
        assertThat(c.stats()).as("another URL's backend is apart").succeedsWithin(Duration.ofSeconds(1));

        QueueBackend again = shared.open("x");
        assertThat(opened).as("a URL opened again after its last close gets a new backend").containsExactly("x", "y", "x");
        again.close();
        c.close();
    }

    private static TaskMessage task() {
        return new TaskMessage(TaskMessage.newId(), "t", "[]", TaskOptions.defaults(), System.currentTimeMillis());
    }

    @Test
    void aFailedOpen_leavesNoEntry() {
        assertThatThrownBy(() -> shared.open("bad:")).isInstanceOf(IllegalArgumentException.class);
        assertThat(shared.handles("bad:")).isZero();
    }
}
