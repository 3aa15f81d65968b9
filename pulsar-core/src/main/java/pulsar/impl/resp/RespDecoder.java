package pulsar.impl.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Incremental RESP2/RESP3 decoder: emits one Java value per top-level frame.
 *
 * <p>Parsing resumes where it stopped: aggregate headers are consumed as soon as they arrive
 * and their partial contents live on a stack, bulk payloads are waited for only after their
 * header is consumed, and the search for a line's CRLF never rescans bytes already searched.
 * A frame split at any byte boundary therefore costs O(frame size) in total, and pipelined
 * frames in one read are all emitted from that read, each handed on before the next is parsed
 * (so a handler may change the {@link #frameLimit(int) frame limit} between frames).
 *
 * <p>Besides the per-element {@link RespLimits}, every byte of a top-level frame counts against
 * a frame limit ({@link RespLimits#maxMessageLength()} unless {@link #frameLimit(int)} says
 * otherwise), checked as soon as a header announces more than fits: a bulk or aggregate too big
 * for what is left fails before its payload is buffered (each element takes at least 3 bytes).
 *
 * <p>Type mapping: {@code +} String, {@code -}/{@code !} {@link RespError}, {@code :} Long,
 * {@code $} String (UTF-8) or {@link TaggedBytes} when the payload starts with 0xFF,
 * {@code *} ArrayList, {@code ,} Double, {@code #} Boolean, {@code (} BigInteger,
 * {@code =} String without its {@code txt:} format, {@code %} LinkedHashMap,
 * {@code ~} LinkedHashSet, {@code >} {@link RespPush}; {@code |} attributes are dropped.
 * Nulls are {@code null} inside aggregates and {@link RespNull#INSTANCE} at top level.
 * Inline commands and RESP3 streamed strings/aggregates are not supported.
 *
 * <p>A decoder made with a {@link TaggedReplies} hands each tagged reply ({@code >3 reply ID
 * VALUE}, what a mailbox answers a {@code TAG} request with) to it as a primitive id and the
 * value, instead of emitting a {@link RespPush} of a list with a boxed id: a client pipelining
 * requests gets one reply per message and nothing else. Only a frame whose header is whole in
 * the buffer and exactly that shape takes this path; any other (split, a negative or 19-digit
 * id, another push) is decoded and emitted as usual, with the same limits and errors. Likewise
 * a decoder given {@link TaggedRequests} hands each tagged request ({@code *N TAG ID COMMAND
 * ARGS...}, what our client sends) to it as a primitive id, the command and a list of the
 * arguments alone (none: an empty list), instead of a list of all with a boxed id.
 *
 * <p>Any violation throws {@link RespProtocolException}; afterwards all input is discarded,
 * because the stream position is unknown and the handler upstream will reply and close.
 * Not sharable: it holds per-connection parse state.
 */
public final class RespDecoder extends ByteToMessageDecoder {
    /** Progress was made but no value is complete yet (distinct from a decoded {@code null}). */
    private static final Object NO_VALUE = new Object();
    /** Not enough bytes buffered for the next step. */
    private static final Object NEED_MORE = new Object();
    private static final int INITIAL_STACK = 8;
    /** Strings of at most this many bytes are looked up in {@link #recent} before one is made. */
    private static final int SHORT_STRING = 16;
    private static final int RECENT_SLOTS = 64; // a power of two
    private static final int SPARE_BYTES = 4096;
    /** What precedes the id of a tagged reply: {@code >3 $5 reply :}. */
    private static final byte[] REPLY_HEADER = ">3\r\n$5\r\nreply\r\n:".getBytes(StandardCharsets.US_ASCII);
    /** Ids of at most this many digits cannot overflow a long; longer ones take the generic path. */
    private static final int MAX_FAST_DIGITS = 18;

    /** Receives tagged replies from a decoder, on the channel's loop, in stream order with the frames it emits. */
    @FunctionalInterface
    public interface TaggedReplies {
        /**
         * One tagged reply: called from within decoding, so it must not throw.
         *
         * @param value the decoded value, as an element of a push would be (null for a RESP null)
         */
        void taggedReply(long id, Object value);
    }

    /** Receives tagged requests from a decoder, on the channel's loop, in stream order with the frames it emits. */
    @FunctionalInterface
    public interface TaggedRequests {
        /**
         * One tagged request: called from within decoding, so it must not throw.
         *
         * @param command the command name as decoded (a String unless the peer sent another type)
         * @param args the arguments after the command, possibly empty (then immutable)
         */
        void taggedRequest(long id, Object command, List<Object> args);
    }

    /** What precedes the id of a tagged request, after its {@code *N}: {@code $3 TAG :}. */
    private static final byte[] TAG_HEADER = "$3\r\nTAG\r\n:".getBytes(StandardCharsets.US_ASCII);
    /** Not in a tagged frame (or in one taking the generic path). */
    private static final int UNTAGGED = 0;
    /** The header of a tagged reply was consumed and its value is being decoded. */
    private static final int REPLY_VALUE = 1;
    /** The header of a tagged request was consumed and its command is being decoded. */
    private static final int REQUEST_COMMAND = 2;
    /** A tagged request's command was decoded and its arguments are being decoded, as one list. */
    private static final int REQUEST_ARGUMENTS = 3;

    /** Where tagged replies go, or null: emitted as {@link RespPush} like any push. */
    private final TaggedReplies replies;
    /** Where tagged requests go, or null: emitted as lists like any request. */
    private TaggedRequests requests;
    private int tagged = UNTAGGED;
    private long taggedId;
    /** Arguments after the command of the tagged request being decoded. */
    private int taggedArgs;
    private Object taggedCommand;

    private final RespLimits limits;
    private Aggregate[] stack = new Aggregate[INITIAL_STACK];
    private int depth;
    /** Type of the bulk whose header was consumed and whose payload we wait for; 0 if none. */
    private byte bulkType;
    private int bulkLength;
    /** Bytes after readerIndex already searched for LF, so a long line is scanned once. */
    private int lineScanned;
    private boolean failed;
    /** Bytes of the current top-level frame consumed so far. */
    private long frameBytes;
    private int frameLimit;
    /**
     * The short strings decoded lately (command names, {@code OK}, {@code PONG}, a tagged reply's
     * kind), one per slot by hash of their bytes: a repeated one is not allocated again. Bounded:
     * a new string replaces the one in its slot.
     */
    private final byte[][] recentBytes = new byte[RECENT_SLOTS][];
    private final String[] recent = new String[RECENT_SLOTS];
    private final byte[] scratch = new byte[SHORT_STRING];
    /**
     * A small heap buffer of this decoder's, lent as the cumulation to reads that fit in it: its
     * count is 1 while free, 2 while lent (the decoder base class releases the cumulation once
     * parsed, which gives it back).
     */
    private ByteBuf spare;
    /** The array of the buffer being decoded, when it has one (null otherwise), and the array index of its index 0. */
    private byte[] array;
    private int arrayBase;

    /** A decoder with {@link RespLimits#DEFAULT}. */
    public RespDecoder() {
        this(RespLimits.DEFAULT);
    }

    /** @param limits bounds on frame sizes; exceeding one is a protocol error */
    public RespDecoder(RespLimits limits) {
        this(limits, null);
    }

    /**
     * @param limits bounds on frame sizes; exceeding one is a protocol error
     * @param replies receives tagged replies instead of the pipeline, or null
     */
    public RespDecoder(RespLimits limits, TaggedReplies replies) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.replies = replies;
        this.frameLimit = limits.maxMessageLength();
        setCumulator(this::cumulate);
    }

    /** Hands tagged requests to {@code requests} from the next frame on, instead of the pipeline. Call on the loop. */
    public void taggedRequests(TaggedRequests requests) {
        this.requests = requests;
    }

    /**
     * Gathers what the socket reads into heap memory, one bulk copy per read, and parses it there.
     * On JDK 24+ Netty does not use {@code sun.misc.Unsafe} by default, and every byte the parser
     * reads from a direct buffer goes through a {@code ByteBuffer} with its checks: parsing a
     * heap copy costs less than parsing in place. Reads that fit in {@link #SPARE_BYTES} (every
     * read of a client sending one request at a time) reuse this decoder's {@link #spare} rather
     * than take a buffer from the pool. Otherwise as Netty's merge cumulator.
     */
    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        try {
            int incoming = in.readableBytes();
            if (incoming == 0) {
                return cumulation;
            }
            if (cumulation == spare) {
                // Lent already (its count is 2: ours and the cumulation's): append if it has room.
                if (spare.writableBytes() < incoming) {
                    spare.discardReadBytes();
                }
                if (spare.writableBytes() >= incoming) {
                    spare.writeBytes(in);
                    return spare;
                }
            } else if (cumulation.hasArray() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()
                    && cumulation.writableBytes() >= incoming) {
                cumulation.writeBytes(in);
                return cumulation;
            }
            int held = cumulation.readableBytes();
            int size = held + incoming;
            ByteBuf heap;
            if (size <= SPARE_BYTES && cumulation != spare && (spare == null || spare.refCnt() == 1)) {
                if (spare == null) {
                    spare = Unpooled.buffer(SPARE_BYTES, SPARE_BYTES); // unpooled: a kept buffer must not pin a pool chunk
                }
                heap = spare.clear().retain();
            } else {
                heap = alloc.heapBuffer(Math.max(size, 1024));
            }
            heap.writeBytes(cumulation, cumulation.readerIndex(), held);
            heap.writeBytes(in);
            cumulation.release();
            return heap;
        } finally {
            in.release();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        ByteBuf s = spare;
        if (s != null) {
            spare = null;
            s.release();
        }
    }

    /**
     * Sets the most bytes one top-level frame may take, from the next frame on (a frame already
     * started keeps counting against the new limit). Call on the channel's loop.
     */
    public void frameLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("frame limit must be positive, got " + bytes);
        }
        frameLimit = bytes;
    }

    /** Bytes of the frame being parsed that were consumed so far (0 between frames); for tests and metrics. */
    public long frameBytes() {
        return frameBytes;
    }

    /**
     * What this connection holds for the frame being parsed: the bytes consumed into it plus those
     * received and not yet parsed. Call on the channel's loop; for tests and metrics.
     */
    public long bufferedBytes() {
        return frameBytes + actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        array = in.hasArray() ? in.array() : null;
        arrayBase = array != null ? in.arrayOffset() : 0;
        try {
            while (in.isReadable()) {
                if (depth == 0 && bulkType == 0 && tagged == UNTAGGED
                        && (replies != null && taggedReplyHeader(in) || requests != null && taggedRequestHeader(in))) {
                    continue;
                }
                Object value = bulkType != 0 ? readBulkPayload(in) : readLine(in);
                if (value == NEED_MORE) {
                    return;
                }
                if (value != NO_VALUE) {
                    value = complete(value);
                    if (value != NO_VALUE) {
                        if (tagged == REQUEST_COMMAND && taggedArgs > 0) {
                            // The arguments follow as one list, with the limits a list has.
                            taggedCommand = value;
                            tagged = REQUEST_ARGUMENTS;
                            startAggregate((byte) '*', taggedArgs);
                            continue;
                        }
                        frameBytes = 0;
                        int kind = tagged;
                        tagged = UNTAGGED;
                        switch (kind) {
                            case REPLY_VALUE -> replies.taggedReply(taggedId, value);
                            case REQUEST_COMMAND -> requests.taggedRequest(taggedId, value, List.of());
                            case REQUEST_ARGUMENTS -> {
                                Object command = taggedCommand;
                                taggedCommand = null;
                                @SuppressWarnings("unchecked")
                                List<Object> args = (List<Object>) value;
                                requests.taggedRequest(taggedId, command, args);
                            }
                            default -> out.add(value == null ? RespNull.INSTANCE : value);
                        }
                        return; // handed on before the next frame is parsed
                    }
                }
            }
        } catch (RespProtocolException e) {
            fail(in);
            throw e;
        } finally {
            array = null;
        }
    }

    /**
     * Consumes the header of a tagged reply ({@code >3 $5 reply :ID}) when it is whole in the
     * buffer, exactly that shape and within the frame limit, keeping its id as a long; the value
     * that follows is then decoded as usual and handed to {@link #replies}. Returns false, having
     * consumed nothing, for anything else: the generic path decodes it (and reports its errors).
     */
    private boolean taggedReplyHeader(ByteBuf in) {
        byte[] a = array;
        if (a == null) {
            return false;
        }
        int r = in.readerIndex();
        int header = REPLY_HEADER.length;
        int start = arrayBase + r;
        int stop = arrayBase + in.writerIndex();
        if (stop - start < header + 3 || !Arrays.equals(a, start, start + header, REPLY_HEADER, 0, header)) {
            return false;
        }
        int i = fastId(a, start + header, stop);
        if (i == start + header || i + 1 >= stop || a[i] != '\r' || a[i + 1] != '\n') {
            return false;
        }
        int consumed = i + 2 - start;
        if (consumed + 3 > frameLimit) {
            return false; // the generic path reports the frame as too large
        }
        consumeHeader(in, consumed, REPLY_VALUE);
        return true;
    }

    /**
     * Reads the decimal digits of an id from {@code a[from..stop)}, at most {@link #MAX_FAST_DIGITS}
     * of them, into {@link #taggedId} (read only once a header is consumed); returns the index of
     * the first byte that is not a digit ({@code from} when there is none).
     */
    private int fastId(byte[] a, int from, int stop) {
        int end = Math.min(stop, from + MAX_FAST_DIGITS);
        long id = 0;
        int i = from;
        for (; i < end; i++) {
            int digit = a[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            id = id * 10 + digit;
        }
        taggedId = id;
        return i;
    }

    /** Skips a tagged frame's header of {@code length} bytes, counting it in the frame; its value or command comes next. */
    private void consumeHeader(ByteBuf in, int length, int kind) {
        in.readerIndex(in.readerIndex() + length);
        frameBytes = length;
        lineScanned = 0;
        tagged = kind;
    }

    /**
     * Consumes the header of a tagged request ({@code *N $3 TAG :ID}, N of 3 to 9 elements, the
     * command a bulk string whose {@code $} has arrived) when it is whole in the buffer and
     * within the limits, keeping its id as a long; the command and then the arguments (as one
     * list) are decoded as usual and handed to {@link #requests}. Returns false, having consumed
     * nothing, for anything else: the generic path decodes it (and reports its errors).
     */
    private boolean taggedRequestHeader(ByteBuf in) {
        byte[] a = array;
        if (a == null) {
            return false;
        }
        int r = in.readerIndex();
        int start = arrayBase + r;
        int stop = arrayBase + in.writerIndex();
        int header = TAG_HEADER.length;
        // "*N\r\n" + header + at least one digit + "\r\n$"
        if (stop - start < 4 + header + 4 || a[start] != '*' || a[start + 2] != '\r' || a[start + 3] != '\n') {
            return false;
        }
        int n = a[start + 1] - '0';
        if (n < 3 || n > 9 || n > limits.maxAggregateLength() || limits.maxDepth() < 1
                || !Arrays.equals(a, start + 4, start + 4 + header, TAG_HEADER, 0, header)) {
            return false;
        }
        int i = fastId(a, start + 4 + header, stop);
        if (i == start + 4 + header || i + 2 >= stop || a[i] != '\r' || a[i + 1] != '\n' || a[i + 2] != '$') {
            return false;
        }
        int consumed = i + 2 - start;
        if (consumed + 3L * (n - 2) > frameLimit) {
            return false; // the generic path reports the frame as too large
        }
        taggedArgs = n - 3;
        consumeHeader(in, consumed, REQUEST_COMMAND);
        return true;
    }

    /** The byte at {@code index} of {@code in}, the buffer being decoded: from its array when it has one. */
    private byte at(ByteBuf in, int index) {
        byte[] a = array;
        return a != null ? a[arrayBase + index] : in.getByte(index);
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        Arrays.fill(stack, null);
        depth = 0;
        bulkType = 0;
        frameBytes = 0;
        tagged = UNTAGGED;
        taggedCommand = null;
    }

    private RespProtocolException frameTooLarge(long atLeast) {
        return new RespProtocolException("request of at least " + atLeast + " bytes exceeds limit " + frameLimit);
    }

    /** Reads one CRLF-terminated line and turns it into a value, a started aggregate or a bulk header. */
    private Object readLine(ByteBuf in) {
        int start = in.readerIndex();
        byte type = at(in, start);
        if (!isType(type)) {
            throw new RespProtocolException("unexpected byte " + RespScalars.describe(type));
        }
        int lf = findLineFeed(in, start);
        if (lf < 0) {
            return NEED_MORE;
        }
        int from = start + 1;
        int to = lf - 1; // the CR
        frameBytes += lf + 1 - start;
        if (frameBytes > frameLimit) {
            throw frameTooLarge(frameBytes);
        }
        in.readerIndex(lf + 1);
        return switch (type) {
            case '+' -> string(in, from, to - from);
            case '-' -> new RespError(in.toString(from, to - from, StandardCharsets.UTF_8));
            case ':' -> RespScalars.parseLong(in, from, to, "integer");
            case ',' -> RespScalars.parseDouble(in, from, to);
            case '(' -> RespScalars.parseBigInteger(in, from, to);
            case '#' -> parseBoolean(in, from, to);
            case '_' -> {
                if (to != from) {
                    throw RespScalars.malformed(in, from, to, "null");
                }
                yield null;
            }
            case '$', '=', '!' -> startBulk(type, RespScalars.parseLong(in, from, to, "bulk length"));
            default -> startAggregate(type, RespScalars.parseLong(in, from, to, "aggregate length"));
        };
    }

    private static boolean isType(byte b) {
        return switch (b) {
            case '+', '-', ':', '$', '*', '_', ',', '#', '(', '=', '%', '~', '>', '!', '|' -> true;
            default -> false;
        };
    }

    /** Absolute index of the line's LF, or -1 if it has not arrived yet. */
    private int findLineFeed(ByteBuf in, int start) {
        // Type byte + content + CR + LF; anything longer without LF can never become valid,
        // nor anything longer than what is left of the frame limit.
        long window = (long) limits.maxLineLength() + 3;
        long left = frameLimit - frameBytes;
        boolean frameBound = left < window;
        if (frameBound) {
            window = left;
        }
        int readable = in.readableBytes();
        int searchEnd = start + (int) Math.min(readable, window);
        int from = start + Math.max(lineScanned, 1);
        // ByteBuf.indexOf searches backwards when from > to, so never call it with an empty range.
        int lf = -1;
        byte[] a = array;
        if (a != null) {
            // Lines are short: a plain scan of the array beats indexOf's checks per call.
            for (int i = arrayBase + from, end = arrayBase + searchEnd; i < end; i++) {
                if (a[i] == '\n') {
                    lf = i - arrayBase;
                    break;
                }
            }
        } else if (from < searchEnd) {
            lf = in.indexOf(from, searchEnd, (byte) '\n');
        }
        if (lf < 0) {
            if (readable >= window) {
                if (frameBound) {
                    throw frameTooLarge(frameBytes + readable + 1);
                }
                throw new RespProtocolException("line longer than limit " + limits.maxLineLength()
                        + " bytes without CRLF (unterminated frame)");
            }
            lineScanned = searchEnd - start;
            return -1;
        }
        lineScanned = 0;
        if (at(in, lf - 1) != '\r') {
            throw new RespProtocolException("expected CRLF, got a bare LF");
        }
        return lf;
    }

    private static Boolean parseBoolean(ByteBuf in, int from, int to) {
        if (to - from == 1) {
            byte b = in.getByte(from);
            if (b == 't') {
                return Boolean.TRUE;
            }
            if (b == 'f') {
                return Boolean.FALSE;
            }
        }
        throw RespScalars.malformed(in, from, to, "boolean");
    }

    private Object startBulk(byte type, long length) {
        if (length == -1 && type == '$') {
            return null;
        }
        if (length < 0) {
            throw new RespProtocolException("invalid bulk length " + length);
        }
        if (length > limits.maxBulkLength()) {
            throw new RespProtocolException("bulk length " + length + " exceeds limit " + limits.maxBulkLength());
        }
        if (frameBytes + length + 2 > frameLimit) {
            throw frameTooLarge(frameBytes + length + 2);
        }
        bulkType = type;
        bulkLength = (int) length;
        return NO_VALUE;
    }

    /** Waits for the whole payload and its CRLF, then converts it in one step (no partial copies). */
    private Object readBulkPayload(ByteBuf in) {
        int n = bulkLength;
        if (in.readableBytes() < n + 2) {
            return NEED_MORE;
        }
        int r = in.readerIndex();
        if (at(in, r + n) != '\r' || at(in, r + n + 1) != '\n') {
            throw new RespProtocolException("missing CRLF after bulk payload of " + n + " bytes");
        }
        byte type = bulkType;
        bulkType = 0;
        Object value = switch (type) {
            case '=' -> {
                // Verbatim: a 3-letter format such as "txt" and ':' precede the text.
                if (n < 4 || in.getByte(r + 3) != ':') {
                    throw new RespProtocolException("malformed verbatim string (missing 'xxx:' format)");
                }
                yield in.toString(r + 4, n - 4, StandardCharsets.UTF_8);
            }
            case '!' -> new RespError(in.toString(r, n, StandardCharsets.UTF_8));
            default -> {
                if (n >= 2 && at(in, r) == TaggedBytes.MARKER) {
                    byte[] bytes = new byte[n];
                    in.getBytes(r, bytes);
                    yield new TaggedBytes(bytes);
                }
                yield string(in, r, n);
            }
        };
        in.skipBytes(n + 2);
        frameBytes += n + 2;
        return value;
    }

    /** The UTF-8 text of {@code n} bytes at {@code from}; a short one that was decoded lately is not made again. */
    private String string(ByteBuf in, int from, int n) {
        if (n == 0) {
            return "";
        }
        if (n > SHORT_STRING) {
            return in.toString(from, n, StandardCharsets.UTF_8);
        }
        byte[] b = scratch;
        in.getBytes(from, b, 0, n);
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 7)) & (RECENT_SLOTS - 1);
        byte[] known = recentBytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, b, 0, n)) {
            return recent[slot];
        }
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        recentBytes[slot] = Arrays.copyOf(b, n);
        recent[slot] = s;
        return s;
    }

    private Object startAggregate(byte type, long length) {
        if (length == -1 && type == '*') {
            return null;
        }
        if (length < 0) {
            throw new RespProtocolException("invalid aggregate length " + length);
        }
        if (length > limits.maxAggregateLength()) {
            throw new RespProtocolException("aggregate length " + length + " exceeds limit "
                    + limits.maxAggregateLength());
        }
        if (depth >= limits.maxDepth()) {
            throw new RespProtocolException("nesting depth exceeds limit " + limits.maxDepth());
        }
        long count = type == '%' || type == '|' ? 2 * length : length;
        if (frameBytes + 3 * count > frameLimit) {
            throw frameTooLarge(frameBytes + 3 * count);
        }
        if (count == 0) {
            return type == '|' ? NO_VALUE : Aggregate.empty(type);
        }
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, Math.min(depth * 2, limits.maxDepth()));
        }
        Aggregate frame = stack[depth];
        if (frame == null) {
            frame = stack[depth] = new Aggregate();
        }
        frame.start(type, count);
        depth++;
        return NO_VALUE;
    }

    /**
     * Hands a finished value to the innermost open aggregate, closing every aggregate it completes.
     * Returns the top-level value once one is whole, else {@link #NO_VALUE}.
     */
    private Object complete(Object value) {
        while (depth > 0) {
            Aggregate frame = stack[depth - 1];
            if (!frame.add(value)) {
                return NO_VALUE;
            }
            depth--;
            boolean attribute = frame.type == '|';
            value = frame.finish();
            if (attribute) {
                // An attribute annotates the next value; its parent still waits for that value.
                return NO_VALUE;
            }
        }
        return value;
    }
}
