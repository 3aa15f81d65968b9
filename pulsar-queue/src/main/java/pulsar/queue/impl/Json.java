package pulsar.queue.impl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pulsar.queue.QueueStats;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFailure;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskState;
import pulsar.queue.TaskStatus;
import pulsar.queue.spi.Delivery;
import pulsar.queue.spi.TaskMessage;
import pulsar.queue.spi.TaskOutcome;

/**
 * The queue's JSON: task arguments and results, and the wire form of messages, deliveries,
 * outcomes, statuses and statistics (docs/task-queue.md). Integers decode as {@code Long}, like
 * the mailbox's RESP integers.
 */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() { };

    private Json() {
    }

    /** The arguments as the text of a JSON array. */
    public static String writeArgs(Object[] args) {
        try {
            return MAPPER.writeValueAsString(args);
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskFailure.BAD_ARGUMENTS, "task arguments cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** The arguments decoded, or a {@code BAD_ARGUMENTS} failure. */
    public static List<Object> readArgs(String args) {
        try {
            List<Object> list = MAPPER.readValue(args, LIST);
            if (list == null) {
                throw new TaskException(TaskFailure.BAD_ARGUMENTS, "task arguments must be a JSON array, not null");
            }
            return list;
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskFailure.BAD_ARGUMENTS, "task arguments are not a JSON array: " + e.getOriginalMessage());
        }
    }

    /** A value (a result) as JSON text. */
    public static String writeValue(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskFailure.BAD_ARGUMENTS, "value cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** The JSON of {@code value}, or its {@code toString()} if it has none (for messages). */
    static String writeValueOrNull(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** JSON text decoded to plain values ({@code null} for {@code null}). */
    public static Object readValue(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new TaskException(TaskFailure.BAD_ARGUMENTS, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code value} converted to {@code type} (a task method's parameter), as Jackson binds it. */
    static Object convert(Object value, Type type) {
        JavaType t = MAPPER.getTypeFactory().constructType(type);
        return MAPPER.convertValue(value, t);
    }

    // ---- messages and deliveries

    public static String writeMessage(TaskMessage m) {
        return write(g -> writeMessageFields(g, m));
    }

    static String writeDelivery(Delivery d) {
        return write(g -> {
            writeMessageFields(g, d.task());
            g.writeNumberField("delivery", d.delivery());
            g.writeNumberField("lease_until", d.leaseUntil());
            g.writeStringField("token", d.token());
        });
    }

    private static void writeMessageFields(JsonGenerator g, TaskMessage m) throws IOException {
        TaskOptions o = m.options();
        g.writeStringField("id", m.id());
        g.writeStringField("name", m.name());
        g.writeFieldName("args");
        g.writeRawValue(m.args());
        g.writeStringField("queue", o.queue());
        g.writeNumberField("priority", o.priority());
        g.writeNumberField("max_deliveries", o.maxDeliveries());
        g.writeNumberField("timeout_ms", o.timeoutMillis());
        g.writeBooleanField("retry_on_error", o.retryOnError());
        g.writeNumberField("backoff_ms", o.backoffMillis());
        g.writeNumberField("backoff_factor", o.backoffFactor());
        g.writeNumberField("backoff_max_ms", o.backoffMaxMillis());
        g.writeNumberField("submitted_at", m.submittedAt());
    }

    /**
     * A message from its JSON; absent fields take their defaults.
     *
     * @throws TaskException {@code BAD_ARGUMENTS} naming what is wrong
     */
    public static TaskMessage readMessage(String json, long now) {
        return messageOf(tree(json, "task message"), now);
    }

    static Delivery readDelivery(String json) {
        JsonNode n = tree(json, "task delivery");
        TaskMessage m = messageOf(n, 0);
        return new Delivery(m, (int) n.path("delivery").asLong(1), n.path("lease_until").asLong(0), n.path("token").asText(""));
    }

    private static TaskMessage messageOf(JsonNode n, long now) {
        if (!n.isObject()) {
            throw bad("a task message must be a JSON object, not " + n.getNodeType());
        }
        String name = text(n, "name", null);
        if (name == null) {
            throw bad("a task message needs a \"name\"");
        }
        JsonNode args = n.get("args");
        String argsText;
        if (args == null || args.isNull()) {
            argsText = "[]";
        } else if (args.isArray()) {
            argsText = args.toString();
        } else {
            throw bad("task \"args\" must be a JSON array, not " + args.getNodeType());
        }
        TaskOptions d = TaskOptions.defaults();
        try {
            TaskOptions o = TaskOptions.of(text(n, "queue", d.queue()), (int) integer(n, "priority", d.priority()),
                    (int) integer(n, "max_deliveries", d.maxDeliveries()), integer(n, "timeout_ms", d.timeoutMillis()),
                    bool(n, "retry_on_error", d.retryOnError()), integer(n, "backoff_ms", d.backoffMillis()),
                    number(n, "backoff_factor", d.backoffFactor()), integer(n, "backoff_max_ms", d.backoffMaxMillis()));
            String id = text(n, "id", null);
            return new TaskMessage(id == null ? TaskIds.next() : id, name, argsText, o,
                    integer(n, "submitted_at", now));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    // ---- outcomes, statuses, stats

    static String writeOutcome(TaskOutcome o) {
        return write(g -> {
            g.writeStringField("id", o.id());
            g.writeStringField("state", o.state().name());
            if (o.result() != null) {
                g.writeFieldName("result");
                g.writeRawValue(o.result());
            }
            if (o.failure() != null) {
                g.writeStringField("failure", o.failure().code());
                g.writeStringField("error", o.error());
            }
        });
    }

    static TaskOutcome readOutcome(String json) {
        JsonNode n = tree(json, "task outcome");
        TaskState state = TaskState.valueOf(n.path("state").asText());
        JsonNode result = n.get("result");
        TaskFailure failure = n.hasNonNull("failure") ? TaskFailure.ofCode(n.get("failure").asText()) : null;
        if (state != TaskState.DONE && failure == null) {
            failure = TaskFailure.BACKEND;
        }
        return new TaskOutcome(n.path("id").asText(), state, state == TaskState.DONE ? (result == null ? "null" : result.toString()) : null,
                failure, failure == null ? null : n.path("error").asText(""));
    }

    static String writeStatus(TaskStatus s) {
        return write(g -> {
            g.writeStringField("id", s.id());
            g.writeStringField("name", s.name());
            g.writeStringField("queue", s.queue());
            g.writeNumberField("priority", s.priority());
            g.writeStringField("state", s.state().name());
            g.writeNumberField("deliveries", s.deliveries());
            g.writeNumberField("max_deliveries", s.maxDeliveries());
            if (s.failure() != null) {
                g.writeStringField("failure", s.failure().code());
            }
            if (s.error() != null) {
                g.writeStringField("error", s.error());
            }
        });
    }

    static TaskStatus readStatus(String json) {
        JsonNode n = tree(json, "task status");
        return new TaskStatus(n.path("id").asText(), n.path("name").asText(), n.path("queue").asText(),
                n.path("priority").asInt(), TaskState.valueOf(n.path("state").asText()), n.path("deliveries").asInt(),
                n.path("max_deliveries").asInt(), n.hasNonNull("failure") ? TaskFailure.ofCode(n.get("failure").asText()) : null,
                n.hasNonNull("error") ? n.get("error").asText() : null);
    }

    static String writeStats(QueueStats s) {
        return writeValue(s.toMap());
    }

    static QueueStats readStats(String json) {
        JsonNode n = tree(json, "queue stats");
        Map<String, Long> queues = new LinkedHashMap<>();
        n.path("queues").properties().forEach(e -> queues.put(e.getKey(), e.getValue().asLong()));
        return new QueueStats(n.path("queued").asLong(), n.path("scheduled").asLong(), n.path("running").asLong(),
                n.path("submitted").asLong(), n.path("done").asLong(), n.path("failed").asLong(), n.path("dead").asLong(),
                n.path("cancelled").asLong(), n.path("redelivered").asLong(), n.path("submit_rate").asDouble(),
                n.path("done_rate").asDouble(), queues);
    }

    static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        if (reply instanceof List<?> l) {
            for (Object o : l) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    // ---- helpers

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static JsonNode tree(String json, String what) {
        if (json == null) {
            throw bad(what + " is missing");
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) {
                throw bad(what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw bad(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual()) {
            throw bad("task field \"" + field + "\" must be a string, not " + v.getNodeType());
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field, long dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad("task field \"" + field + "\" must be an integer, not " + v);
        }
        return v.asLong();
    }

    private static double number(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw bad("task field \"" + field + "\" must be a number, not " + v);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode n, String field, boolean dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw bad("task field \"" + field + "\" must be true or false, not " + v);
        }
        return v.asBoolean();
    }

    private static TaskException bad(String message) {
        return new TaskException(TaskFailure.BAD_ARGUMENTS, message);
    }
}
