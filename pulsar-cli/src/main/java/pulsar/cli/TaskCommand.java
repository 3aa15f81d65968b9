package pulsar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import pulsar.Settings;
import pulsar.queue.TaskException;
import pulsar.queue.TaskFuture;
import pulsar.queue.TaskOptions;
import pulsar.queue.TaskQueue;
import pulsar.queue.TaskStatus;

/**
 * {@code pulsar task submit|status|cancel|dead}: the task queue from the command line, through
 * the running arbiter's mailbox (its embedded queue, as {@code pulsar run} started it) or, with
 * {@code --queue URL}, straight to a queue such as a Redis server. Task arguments are JSON values
 * ({@code 1}, {@code 2.5}, {@code true}, {@code '"text"'}, {@code '[1,2]'}), or text when they
 * are not JSON. Exit code 0 on success, 1 when the task or the queue fails.
 */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"Submit tasks to the task queue and read its state.",
                "Examples:  pulsar task submit add 1 2",
                "           pulsar task status",
                "           pulsar task submit --queue redis://127.0.0.1:6379/0 add 1 2"},
        subcommands = {TaskCommand.Submit.class, TaskCommand.Status.class, TaskCommand.Cancel.class, TaskCommand.Dead.class})
final class TaskCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The options every task subcommand takes: where the queue is, the secret, the wait. */
    static final class QueueOptions {
        @Mixin
        ArbiterClient client;

        @Option(names = "--queue", paramLabel = "URL",
                description = "The queue's URL, e.g. redis://127.0.0.1:6379/0 (default: the running arbiter's embedded queue).")
        String queue;

        /** The queue: {@code --queue}, else the embedded queue of the arbiter {@link ArbiterClient} names. */
        TaskQueue open() throws java.io.IOException {
            if (queue != null) {
                return TaskQueue.open(queue);
            }
            return TaskQueue.open("arbiter://" + client.address());
        }

        /** {@code --wait}, in milliseconds. */
        long millis() {
            return Settings.parseDuration("wait", client.wait).toMillis();
        }

        /** Runs {@code body} on an open queue; queue errors become one line and exit code 1. */
        int withQueue(PrintWriter err, QueueCall body) throws Exception {
            try (TaskQueue q = open()) {
                return body.call(q);
            } catch (ExecutionException e) {
                return QueueSubcommand.error(err, describe(e.getCause() == null ? e : e.getCause()));
            } catch (TimeoutException e) {
                return QueueSubcommand.error(err, "TIMEOUT no answer within " + millis() + " ms");
            } catch (IllegalArgumentException | TaskException e) {
                return QueueSubcommand.error(err, describe(e));
            }
        }
    }

    private static String describe(Throwable t) {
        return t instanceof TaskException te ? te.failure() + " " + te.getMessage() : t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Something done with the queue. */
    interface QueueCall {
        int call(TaskQueue queue) throws Exception;
    }

    /** A command-line argument as a JSON value, or as text when it is not JSON. */
    static Object argument(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static Map<String, Object> statusMap(TaskStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("queue", s.queue());
        m.put("priority", s.priority());
        m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("deliveries", s.deliveries() + "/" + s.maxDeliveries());
        if (s.failure() != null) {
            m.put("failure", s.failure().name());
            m.put("error", s.error());
        }
        return m;
    }

    /**
     * What every task subcommand shares: the queue options, the output streams, the wait for a
     * reply; a subcommand says only what it does with the open queue.
     */
    abstract static class QueueSubcommand implements Callable<Integer> {
        @Mixin
        QueueOptions queue;

        @Spec
        CommandSpec spec;

        /** Does the subcommand's work with the open queue; returns the exit code. */
        abstract int run(TaskQueue q, PrintWriter out, PrintWriter err) throws Exception;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return queue.withQueue(err, q -> run(q, out, err));
            } finally {
                out.flush();
                err.flush();
            }
        }

        /** The reply of a queue call, waited for at most {@code --wait}. */
        <T> T await(java.util.concurrent.CompletableFuture<T> reply) throws Exception {
            return reply.get(queue.millis(), TimeUnit.MILLISECONDS);
        }

        /** Prints {@code (error) text}; exit code 1. */
        static int error(PrintWriter err, String text) {
            err.println("(error) " + text);
            return 1;
        }
    }

    /** {@code pulsar task submit NAME ARGS...}. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit task NAME with ARGS (JSON values, or text) and print its result as JSON.")
    static final class Submit extends QueueSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The task's name.")
        String name;

        @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments: JSON values, or text.")
        List<String> args = new ArrayList<>();

        @Option(names = "--to", paramLabel = "QUEUE", defaultValue = TaskOptions.DEFAULT_QUEUE,
                description = "The named queue (default: ${DEFAULT-VALUE}).")
        String to;

        @Option(names = "--priority", paramLabel = "0-9", defaultValue = "0", description = "Higher runs first (default: 0).")
        int priority;

        @Option(names = "--max-deliveries", paramLabel = "N", description = "Deliveries before it is a dead letter.")
        Integer maxDeliveries;

        @Option(names = "--no-wait", description = "Print the task's id at once instead of waiting for its result.")
        boolean noWait;

        @Override
        int run(TaskQueue q, PrintWriter out, PrintWriter err) throws Exception {
            TaskOptions options = TaskOptions.defaults().withQueue(to).withPriority(priority);
            if (maxDeliveries != null) {
                options = options.withMaxDeliveries(maxDeliveries);
            }
            TaskFuture f = q.submit(options, name, args.stream().map(TaskCommand::argument).toArray());
            if (noWait) {
                await(q.status(f.id())); // stored before we leave
                out.println(f.id());
            } else {
                out.println(json(await(f)));
            }
            return 0;
        }
    }

    /** {@code pulsar task status [ID]}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the queue's counters, or with ID what the queue knows of that task.")
    static final class Status extends QueueSubcommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A task id.")
        String id;

        @Override
        int run(TaskQueue q, PrintWriter out, PrintWriter err) throws Exception {
            if (id == null) {
                Printer.reply(out, await(q.stats()).toMap());
                return 0;
            }
            TaskStatus s = await(q.status(id));
            if (s == null) {
                return error(err, "NO_SUCH_TASK " + id);
            }
            Printer.reply(out, statusMap(s));
            return 0;
        }
    }

    /** {@code pulsar task cancel ID}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task that has not started.")
    static final class Cancel extends QueueSubcommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
        String id;

        @Override
        int run(TaskQueue q, PrintWriter out, PrintWriter err) throws Exception {
            if (!await(q.cancel(id))) {
                return error(err, "task " + id + " is running, finished or unknown: not cancelled");
            }
            out.println("cancelled " + id);
            return 0;
        }
    }

    /** {@code pulsar task dead [--limit N]}. */
    @Command(name = "dead", mixinStandardHelpOptions = true, description = "List the latest dead letters, oldest first.")
    static final class Dead extends QueueSubcommand {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(TaskQueue q, PrintWriter out, PrintWriter err) throws Exception {
            List<TaskStatus> dead = await(q.deadLetters(limit));
            if (dead.isEmpty()) {
                out.println("(no dead letters)");
            } else {
                Printer.reply(out, dead.stream().map(TaskCommand::statusMap).toList());
            }
            return 0;
        }
    }
}
