package pulsar.queue.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/** The JSON wire forms of docs/task-queue.md, both ways. */
class JsonWireTest {
    @Test
    void message_roundTrips_withEveryField() {
        TaskOptions o = TaskOptions.defaults().withQueue("emails").withPriority(7).withMaxDeliveries(3)
                .withTimeout(java.time.Duration.ofSeconds(9)).withRetryOnError(true)
                .withBackoff(java.time.Duration.ofMillis(250), 3.0, java.time.Duration.ofSeconds(4));
        TaskMessage m = new TaskMessage("id-1", "send", "[\"a@b\",{\"k\":[1,2.5,null]}]", o, 1234);
        String json = m.toJson();
        assertThat(json).contains("\"name\":\"send\"").contains("\"args\":[\"a@b\",{\"k\":[1,2.5,null]}]")
                .contains("\"max_deliveries\":3").contains("\"timeout_ms\":9000").contains("\"retry_on_error\":true");
        TaskMessage back = TaskMessage.fromJson(json);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void message_withNameOnly_takesTheDefaults_andANewId() {
        TaskMessage m = TaskMessage.fromJson("{\"name\":\"add\"}");
        assertThat(m.args()).isEqualTo("[]");
        assertThat(m.options()).isEqualTo(TaskOptions.defaults());
        assertThat(m.id()).isNotBlank();
        assertThat(TaskMessage.fromJson("{\"name\":\"add\"}").id()).isNotEqualTo(m.id());
        assertThat(m.submittedAt()).isPositive();
    }

    @Test
    void badMessages_nameWhatIsWrong() {
        assertThat(bad("[1,2]")).contains("JSON object");
        assertThat(bad("{\"name\": 3}")).contains("\"name\" must be a string");
        assertThat(bad("{\"name\": \"x\", \"args\": {\"a\":1}}")).contains("\"args\" must be a JSON array");
        assertThat(bad("{\"name\": \"x\", \"queue\": \"has space\"}")).contains("queue").contains("has space");
        assertThat(bad("{\"name\": \"x\", \"max_deliveries\": 0}")).contains("max_deliveries").contains("0");
        assertThat(bad("{\"name\": \"x\", \"timeout_ms\": \"soon\"}")).contains("timeout_ms").contains("integer");
        assertThat(bad("{\"name\": \"x\", \"retry_on_error\": 1}")).contains("retry_on_error");
        assertThat(bad("")).contains("empty");
        assertThat(bad("{\"name\": \"" + "n".repeat(300) + "\"}")).contains("task name");
    }

    private static String bad(String json) {
        TaskException e = catchThrowableOfType(TaskException.class, () -> TaskMessage.fromJson(json));
        assertThat(e).as("rejected: %s", json).isNotNull();
        assertThat(e.failure()).isEqualTo(TaskFailure.BAD_ARGUMENTS);
        return e.getMessage();
    }

    @Test
    void delivery_outcome_status_andStats_roundTrip() {
        TaskMessage m = new TaskMessage("id-2", "add", "[1,2]", TaskOptions.defaults(), 5);
        Delivery d = new Delivery(m, 2, 99_000, "tok");
        assertThat(Json.readDelivery(Json.writeDelivery(d))).isEqualTo(d);

        TaskOutcome done = TaskOutcome.done("id-2", "{\"sum\":3}");
        assertThat(Json.readOutcome(Json.writeOutcome(done))).isEqualTo(done);
        TaskOutcome failed = new TaskOutcome("id-3", TaskState.FAILED, null, TaskFailure.TASK_ERROR, "boom");
        assertThat(Json.readOutcome(Json.writeOutcome(failed))).isEqualTo(failed);

        TaskStatus s = new TaskStatus("id-3", "add", "default", 4, TaskState.DEAD, 5, 5, TaskFailure.DEAD_LETTER, "lost");
        assertThat(Json.readStatus(Json.writeStatus(s))).isEqualTo(s);

        QueueStats st = new QueueStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 1.5, 2.5, Map.of("default", 1L));
        assertThat(Json.readStats(Json.writeStats(st))).isEqualTo(st);
    }

    @Test
    void arguments_decodeIntegersAsLong() {
        assertThat(Json.readArgs("[1, 2.5, \"x\", true, null, [3], {\"k\": 4}]"))
                .containsExactly(1L, 2.5, "x", true, null, List.of(3L), Map.of("k", 4L));
        assertThat(catchThrowableOfType(TaskException.class, () -> Json.readArgs("{}")).failure())
                .isEqualTo(TaskFailure.BAD_ARGUMENTS);
        assertThat(catchThrowableOfType(TaskException.class, () -> Json.writeArgs(new Object[] {new Object()})).failure())
                .isEqualTo(TaskFailure.BAD_ARGUMENTS);
    }

    @Test
    void wireErrors_carryTheirCode() {
        TaskException e = TaskException.fromWireError("ERR UNKNOWN_TASK no task named 'x'");
        assertThat(e.failure()).isEqualTo(TaskFailure.UNKNOWN_TASK);
        assertThat(e.getMessage()).isEqualTo("no task named 'x'");
        assertThat(TaskException.fromWireError("NOAUTH who are you").failure()).isEqualTo(TaskFailure.BACKEND);
        assertThat(new TaskException(TaskFailure.TOO_LARGE, "big").toWireError()).isEqualTo("TOO_LARGE big");
    }
}
