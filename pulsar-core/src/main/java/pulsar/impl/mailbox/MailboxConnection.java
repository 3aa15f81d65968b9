package pulsar.impl.mailbox;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.impl.resp.RespDecoder;
import pulsar.impl.resp.RespError;
import pulsar.impl.resp.ObjectEncoder;
import pulsar.impl.resp.RespSimple;
import pulsar.impl.resp.RespWriter;

/**
 * One client connection to a mailbox. Nothing but {@code AUTH}/{@code HELLO} is served, and
 * nothing is deserialized, before authentication. Commands run concurrently; plain requests are
 * answered in request order (as Redis does), {@code TAG id command ...} requests as soon as
 * they complete, in a RESP3 push {@code ["reply", id, value]}.
 *
 * <p>Until it authenticates, a connection may send requests of at most
 * {@link MailboxConfig#maxUnauthenticatedLength()} bytes (the decoder's frame limit, raised to
 * the message limit by a successful AUTH) and must authenticate within
 * {@link MailboxConfig#authTimeout()}, else it is closed.
 */
final class MailboxConnection extends ChannelInboundHandlerAdapter implements RespDecoder.TaggedRequests {
    private static final Logger log = LoggerFactory.getLogger(MailboxConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int MAX_PENDING = 16 * 1024;
    private static final int MAX_AUTH_FAILURES = 5;
    private static final long LINGER_MILLIS = 1000;
    static final String REPLY_PUSH = "reply";
    private static final byte[] REPLY_PUSH_BULK = RespWriter.bulk(REPLY_PUSH);
    private static final String TAG_SYNTAX = "ERR TAG takes an integer id, a command name and its arguments";
    /** Shared: a RespError is immutable. */
    private static final RespError NEEDS_RESP3 = new RespError("ERR TAG needs RESP3: send HELLO 3 first");
    /**
     * Replies are encoded one after another into one batch (see {@link OutBatch}), written when the
     * read batch ends (or at once, for a reply completed outside a read), so a pipelining client
     * costs one buffer and one write per batch rather than per reply; a batch that reaches
     * {@link OutBatch#BATCH_BYTES} is written early, so none grows without bound.
     */
    static final int BATCH_BYTES = OutBatch.BATCH_BYTES;

    private final MailboxConfig config;
    /** Made once: a method reference is a new object each time it is evaluated. */
    private final ObjectEncoder encoder;
    private final CommandExecutor executor;
    private final RespDecoder decoder;
    private final long id = IDS.incrementAndGet();
    private final ArrayDeque<Slot> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean authenticated;
    private int protocol = 2;
    private int authFailures;
    private boolean reading;
    private boolean unflushed;
    /** Replies encoded and not yet handed to the channel. */
    private final OutBatch batch = new OutBatch();
    private boolean closing;
    private ScheduledFuture<?> authDeadline;

    /** @param decoder this connection's decoder, whose frame limit rises once the client authenticated */
    MailboxConnection(MailboxConfig config, CommandExecutor executor, RespDecoder decoder) {
        this.config = config;
        this.encoder = config.codec()::encode;
        this.executor = executor;
        this.decoder = decoder;
        decoder.taggedRequests(this);
    }

    /** A reply waiting for the replies before it. */
    private static final class Slot {
        Object value;
        boolean done;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        armAuthDeadline();
    }

    private void armAuthDeadline() {
        authDeadline = ctx.executor().schedule(this::authTimedOut, config.authTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void authTimedOut() {
        if (!authenticated && !closing) {
            log.debug("closing mailbox connection {}: not authenticated within {}", ctx.channel().remoteAddress(),
                    config.authTimeout());
            closing = true;
            ByteBuf buf = ctx.alloc().ioBuffer();
            RespWriter.write(buf, new RespError("NOAUTH not authenticated within " + config.authTimeout().toMillis()
                    + " ms (the auth_timeout setting)"), protocol, null);
            handOn();
            unflushed = false;
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        authDeadline.cancel(false);
        releaseBatch();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBatch();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (closing) {
            return;
        }
        if (!(msg instanceof List<?> request) || request.isEmpty() || !(request.get(0) instanceof String first)) {
            protocolError("expected a command: an array whose first element is the command name");
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object> all = (List<Object>) request;
        // Our client's every request starts with TAG: no lower-cased copy of it, and no sub-list of
        // its arguments but the command's own (none for a command without arguments).
        if (authenticated && first.equalsIgnoreCase("tag")) {
            tagged(all); // what the decoder did not hand to taggedRequest (its header split between reads)
            return;
        }
        List<Object> args = all.subList(1, all.size());
        String name = first.equalsIgnoreCase("tag") ? "tag" : first.toLowerCase(Locale.ROOT);
        switch (name) {
            case "auth" -> inOrder(auth(args));
            case "hello" -> inOrder(hello(args));
            case "quit" -> {
                inOrder(RespSimple.OK);
                closing = true;
                flush();
                ctx.close();
            }
            default -> {
                if (!authenticated) {
                    inOrder(new RespError("NOAUTH Authentication required."));
                } else {
                    inOrder(run(name, args));
                }
            }
        }
    }

    private Object run(String name, List<Object> args) {
        try {
            @SuppressWarnings("unchecked")
            List<Object> decoded = (List<Object>) Values.decodeTagged(args, config.codec());
            return executor.execute(name, decoded, protocol);
        } catch (Throwable t) {
            return Failures.toRespError(t);
        }
    }

    /** {@code TAG id command args...}, the whole request, as the generic decoder emits it. */
    private void tagged(List<Object> request) {
        int n = request.size();
        if (n < 3 || !(request.get(1) instanceof Long tag)) {
            inOrder(protocol != 3 ? NEEDS_RESP3 : new RespError(TAG_SYNTAX));
            return;
        }
        tagged(tag, request.get(2), n == 3 ? List.of() : request.subList(3, n));
    }

    /**
     * A tagged request straight from the decoder (no list holding a boxed id): as {@link #channelRead}
     * would handle it. Must not throw.
     */
    @Override
    public void taggedRequest(long tag, Object command, List<Object> args) {
        reading = true;
        if (closing) {
            return;
        }
        if (!authenticated) {
            inOrder(new RespError("NOAUTH Authentication required."));
            return;
        }
        tagged(tag, command, args);
    }

    private void tagged(long tag, Object command, List<Object> args) {
        if (protocol != 3) {
            inOrder(NEEDS_RESP3);
            return;
        }
        if (!(command instanceof String cmd)) {
            inOrder(new RespError(TAG_SYNTAX));
            return;
        }
        Object result = run(cmd.toLowerCase(Locale.ROOT), args);
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((v, e) -> onLoop(() -> writeReply(true, tag, e == null ? v : Failures.toRespError(e))));
        } else {
            writeReply(true, tag, result);
        }
    }

    private Object auth(List<Object> args) {
        if (args.size() == 1 || args.size() == 2) {
            return authenticate(args.size() == 1 ? "default" : args.get(0), args.get(args.size() - 1))
                    ? RespSimple.OK : wrongPass();
        }
        return new RespError("ERR wrong number of arguments for 'auth' command");
    }

    /** Checks a user (only {@code default} exists) and secret; a failure counts towards the close. */
    private boolean authenticate(Object user, Object candidate) {
        boolean ok = "default".equals(user) && candidate instanceof String s && Secrets.matches(config.secret(), s);
        if (ok && !authenticated) {
            authenticated = true;
            authDeadline.cancel(false);
            decoder.frameLimit(config.limits().maxMessageLength());
        } else if (!ok) {
            if (authenticated) {
                // A failed AUTH drops an earlier one: back to the unauthenticated limits and deadline.
                authenticated = false;
                decoder.frameLimit(config.maxUnauthenticatedLength());
                armAuthDeadline();
            }
            if (++authFailures >= MAX_AUTH_FAILURES) {
                closing = true;
                ctx.channel().eventLoop().execute(ctx::close);
            }
        }
        return ok;
    }

    private static RespError wrongPass() {
        return new RespError("WRONGPASS invalid username-password pair or user is disabled.");
    }

    private Object hello(List<Object> args) {
        int version = protocol;
        int i = 0;
        if (!args.isEmpty()) {
            Object v = args.get(0);
            long requested;
            try {
                requested = v instanceof Long l ? l : Long.parseLong(String.valueOf(v));
            } catch (NumberFormatException e) {
                return new RespError("ERR Protocol version is not an integer or out of range");
            }
            if (requested != 2 && requested != 3) {
                return new RespError("NOPROTO unsupported protocol version");
            }
            version = (int) requested;
            i = 1;
        }
        while (i < args.size()) {
            String option = String.valueOf(args.get(i)).toLowerCase(Locale.ROOT);
            if (option.equals("auth") && i + 2 < args.size()) {
                if (!authenticate(args.get(i + 1), args.get(i + 2))) {
                    return wrongPass();
                }
                i += 3;
            } else if (option.equals("setname") && i + 1 < args.size()) {
                i += 2;
            } else {
                return new RespError("ERR Syntax error in HELLO option '" + option + "'");
            }
        }
        if (!authenticated) {
            return new RespError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        protocol = version;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("server", "pulsar");
        info.put("version", "0.1.0");
        info.put("proto", (long) protocol);
        info.put("id", id);
        info.put("mode", "standalone");
        info.put("role", "master");
        info.put("modules", List.of());
        return info;
    }

    /** Queues a reply behind earlier ones; {@code result} may be a stage. */
    private void inOrder(Object result) {
        if (!(result instanceof CompletionStage<?>) && pending.isEmpty()) {
            writeReply(result);
            return;
        }
        Slot slot = new Slot();
        pending.add(slot);
        if (pending.size() >= MAX_PENDING) {
            ctx.channel().config().setAutoRead(false); // bounded: stop reading until replies drain
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((v, e) -> onLoop(() -> {
                slot.value = e == null ? v : Failures.toRespError(e);
                slot.done = true;
                drain();
            }));
        } else {
            slot.value = result;
            slot.done = true;
            drain();
        }
    }

    private void drain() {
        while (!pending.isEmpty() && pending.peek().done) {
            writeReply(pending.poll().value);
        }
        if (pending.size() < MAX_PENDING / 2 && !ctx.channel().config().isAutoRead() && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (!reading) {
            flush();
        }
    }

    private void onLoop(Runnable r) {
        if (ctx.executor().inEventLoop()) {
            r.run();
        } else {
            ctx.executor().execute(r);
        }
    }

    private void writeReply(Object value) {
        writeReply(false, 0, value);
    }

    /**
     * Writes a reply, in a tagged push with id {@code tag} when {@code tagged}, into the current batch; one
     * that cannot be written becomes an error reply. Outside a read the batch is flushed at once.
     */
    private void writeReply(boolean tagged, long tag, Object value) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf buf = batch.buffer(ctx.alloc());
        try {
            encode(buf, tagged, tag, value, encoder, config.limits().maxMessageLength());
        } catch (RuntimeException e) {
            // The writer left the batch as it was before this reply.
            RespError error = Failures.toRespError(new IllegalArgumentException("cannot encode the reply: " + e.getMessage()));
            encode(buf, tagged, tag, error, null, Integer.MAX_VALUE);
        }
        unflushed = true;
        if (batch.full()) {
            handOn();
        }
        if (!reading) {
            flush();
        }
    }

    private void encode(ByteBuf buf, boolean tagged, long tag, Object value, ObjectEncoder objects, int maxBytes) {
        if (!tagged) {
            RespWriter.write(buf, value, protocol, objects, maxBytes);
        } else {
            RespWriter.writeTaggedPush(buf, REPLY_PUSH_BULK, tag, value, protocol, objects, maxBytes); // value may be null
        }
    }

    /** Hands the batch to the channel (unflushed): the channel's water marks see it from now on. */
    private void handOn() {
        ByteBuf buf = batch.take(ctx.alloc());
        if (buf != null) {
            ctx.write(buf, ctx.voidPromise());
        }
    }

    private void releaseBatch() {
        batch.release();
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            handOn();
            ctx.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: a client that does not read its replies stops being read.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && pending.size() < MAX_PENDING);
        ctx.fireChannelWritabilityChanged();
    }

    private void protocolError(String message) {
        closing = true;
        ByteBuf buf = ctx.alloc().ioBuffer();
        RespWriter.write(buf, new RespError("ERR Protocol error: " + message), protocol, config.codec()::encode);
        handOn();
        unflushed = false;
        ctx.writeAndFlush(buf).addListener(f -> lingerThenClose());
    }

    /**
     * Ends our side after the error and closes a moment later. A peer still sending (a frame over
     * a limit, cut short) would otherwise get a reset that destroys the error reply before it is
     * read; meanwhile the failed decoder discards whatever arrives, so nothing is buffered.
     */
    private void lingerThenClose() {
        Channel ch = ctx.channel();
        if (ch instanceof DuplexChannel duplex && ch.isActive()) {
            duplex.shutdownOutput();
            ctx.executor().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            ch.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            Throwable c = cause.getCause() != null && !(cause.getMessage() != null && cause.getMessage().startsWith("Protocol error")) ? cause.getCause() : cause;
            String message = c.getMessage() == null ? c.toString() : c.getMessage();
            log.debug("closing mailbox connection {}: {}", ctx.channel().remoteAddress(), message);
            if (!closing) {
                protocolError(message.startsWith("Protocol error: ") ? message.substring(16) : message);
            }
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            log.warn("closing mailbox connection {}", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
