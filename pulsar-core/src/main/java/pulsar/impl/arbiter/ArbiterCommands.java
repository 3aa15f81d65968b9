package pulsar.impl.arbiter;

import java.util.Map;
import pulsar.ActorExit;
import pulsar.Concurrency;
import pulsar.FailureKind;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.impl.actor.ActorReport;
import pulsar.impl.command.CommandContext;
import pulsar.impl.command.CommandHandler;
import pulsar.impl.resp.RespSimple;
import pulsar.impl.supervise.ActorRecord;
import pulsar.impl.supervise.Supervisor;

/**
 * The commands only the arbiter serves: {@code notify} (handshakes and heartbeats),
 * {@code spawn}, {@code kill_actor}, {@code whereis}, {@code app}, {@code actor} (a command for
 * a co-located actor, which has no mailbox of its own) and {@code actors} (the actor table, a page
 * at a time).
 */
final class ArbiterCommands {
    private final ArbiterImpl arbiter;
    private final Supervisor supervisor;

    ArbiterCommands(ArbiterImpl arbiter, Supervisor supervisor) {
        this.arbiter = arbiter;
        this.supervisor = supervisor;
    }

    CommandHandler lookup(String name) {
        return switch (name) {
            case "notify" -> this::notifyCommand;
            case "spawn" -> this::spawnCommand;
            case "kill_actor" -> this::killCommand;
            case "whereis" -> this::whereisCommand;
            case "app" -> this::appCommand;
            case "actor" -> this::actorCommand;
            case "actors" -> this::actorsCommand;
            default -> null;
        };
    }

    private Object notifyCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        supervisor.notified(ActorReport.fromMap(ctx.args().get(0)));
        return RespSimple.OK;
    }

    private Object spawnCommand(CommandContext ctx) {
        ctx.arity(0, 2);
        Spawn spec;
        boolean plain = false;
        if (ctx.args().isEmpty()) {
            spec = Spawn.process();
            plain = true;
        } else if (ctx.args().get(0) instanceof Spawn s) {
            spec = s;
        } else {
            String kind = ctx.string(0).toUpperCase(java.util.Locale.ROOT);
            try {
                spec = Spawn.of(Concurrency.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'spawn' takes a Spawn spec, or 'thread' or 'process' and a name");
            }
            if (ctx.args().size() == 2) {
                spec = spec.name(ctx.string(1));
            }
            plain = true;
        }
        boolean asMap = plain;
        String aid = spec.aid() != null ? spec.aid() : ArbiterImpl.newAid();
        return arbiter.spawn(aid, spec).thenApply(p -> asMap ? Map.of("aid", p.aid(), "name", p.name(),
                "address", p.address().getHostString() + ":" + p.address().getPort()) : (Object) p);
    }

    private Object killCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        ActorRecord r = supervisor.record(ctx.string(0));
        if (r == null) {
            return false;
        }
        supervisor.stop(r, ActorExit.Cause.STOPPED);
        return true;
    }

    private Object appCommand(CommandContext ctx) throws Exception {
        Applications apps = arbiter.applications();
        if (ctx.args().isEmpty()) {
            throw new IllegalArgumentException("wrong number of arguments for 'app' command: app NAME [COMMAND ARGS...]");
        }
        if (apps == null || apps.get(ctx.string(0)) == null) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR no application '" + ctx.string(0) + "'");
        }
        return apps.command(ctx);
    }

    /** {@code actor AID COMMAND ARGS...}: runs COMMAND on the co-located actor AID of this JVM. */
    private Object actorCommand(CommandContext ctx) {
        if (ctx.args().size() < 2) {
            throw new IllegalArgumentException("wrong number of arguments for 'actor' command: actor AID COMMAND [ARGS...]");
        }
        java.util.List<Object> rest = ctx.args().subList(2, ctx.args().size());
        return arbiter.dispatcher().forward(ctx.string(0), ctx.string(1), rest.toArray(), ctx.protocol());
    }

    /** The most actors one {@code actors} reply lists. */
    static final int MAX_PAGE = 10_000;

    /**
     * {@code actors [CURSOR [COUNT]]}, as Redis's {@code SCAN}: the actors spawned after CURSOR (0:
     * from the first), oldest first, at most COUNT (default {@link ArbiterImpl#INFO_ACTORS}, at most
     * {@link #MAX_PAGE}), and the cursor of the next page, 0 after the last one.
     */
    private Object actorsCommand(CommandContext ctx) {
        ctx.arity(0, 2);
        long cursor = ctx.args().isEmpty() ? 0 : ctx.integer(0);
        long count = ctx.args().size() < 2 ? ArbiterImpl.INFO_ACTORS : ctx.integer(1);
        if (cursor < 0 || count < 1 || count > MAX_PAGE) {
            throw new IllegalArgumentException("'actors' takes a cursor >= 0 and a count from 1 to " + MAX_PAGE);
        }
        java.util.List<Map<String, Object>> page = supervisor.page(cursor, (int) count);
        long next = page.size() < count ? 0 : (Long) page.get(page.size() - 1).get("age");
        Map<String, Object> reply = new java.util.LinkedHashMap<>();
        reply.put("cursor", next);
        reply.put("actors", page);
        return reply;
    }

    private Object whereisCommand(CommandContext ctx) {
        ctx.arity(1, 1);
        String aid = ctx.string(0);
        if (aid.equals("arbiter")) {
            return arbiter.address().getHostString() + ":" + arbiter.address().getPort();
        }
        Applications apps = arbiter.applications();
        if (apps != null && apps.get(aid) != null) {
            return "app:" + aid; // an application: its monitor has no mailbox, send 'app NAME ...' to the arbiter
        }
        ActorRecord r = supervisor.record(aid);
        if (r == null || r.address() == null) {
            throw new PulsarException(FailureKind.NO_SUCH_ACTOR, "NOACTOR no actor '" + aid + "'");
        }
        String hostPort = r.address().getHostString() + ":" + r.address().getPort();
        return r.colocated() ? "actor:" + hostPort : hostPort; // co-located: send 'actor AID ...' to that mailbox
    }
}
