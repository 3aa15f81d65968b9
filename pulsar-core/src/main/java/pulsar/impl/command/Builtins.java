package pulsar.impl.command;

import java.util.LinkedHashMap;
import java.util.Map;
import pulsar.ActorFunction;
import pulsar.impl.resp.RespSimple;

/** The commands of every actor: {@code ping}, {@code echo}, {@code run}, {@code info}, {@code stop}. */
final class Builtins {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Builtins.class);

    private Builtins() {
    }

    static void registerAll(CommandRegistry commands) {
        commands.register("ping", ctx -> {
            ctx.arity(0, 1);
            return ctx.args().isEmpty() ? RespSimple.PONG : ctx.args().get(0);
        });
        commands.register("echo", ctx -> {
            ctx.arity(1, 1);
            return ctx.args().get(0);
        });
        commands.register("run", ctx -> {
            if (ctx.args().isEmpty() || !(ctx.args().get(0) instanceof ActorFunction<?> fn)) {
                throw new IllegalArgumentException("'run' takes a function (a pulsar.ActorFunction) and its arguments, not "
                        + (ctx.args().isEmpty() ? "nothing" : CommandContext.describe(ctx.args().get(0))));
            }
            Object result;
            try {
                result = fn.apply(ctx.actor(), ctx.args().subList(1, ctx.args().size()));
            } catch (Exception | Error e) {
                log.warn("actor {}: a 'run' function failed", ctx.actor().aid(), e);
                throw e;
            }
            if (result instanceof java.util.concurrent.CompletionStage<?> stage) {
                stage.whenComplete((v, e) -> {
                    if (e != null) {
                        log.warn("actor {}: a 'run' function's stage failed", ctx.actor().aid(), e);
                    }
                });
            }
            return result;
        });
        commands.register("info", ctx -> {
            ctx.arity(0, 1);
            Map<String, Object> info = ctx.actor().info();
            return ctx.protocol() == 2 ? InfoText.render(info) : info;
        });
        commands.register("stop", ctx -> {
            ctx.arity(0, 0);
            // Reply first: the stop closes this very connection.
            ctx.actor().ioLoop().callSoon(ctx.actor()::stop);
            return RespSimple.OK;
        });
        commands.register("command", ctx -> {
            // redis-cli asks for command docs at start-up; an empty answer keeps it quiet.
            Map<String, Object> none = new LinkedHashMap<>();
            return ctx.args().isEmpty() ? java.util.List.copyOf(commands.names()) : none;
        });
    }
}
