package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.resp.RespSimple;

/**
 * A real mailbox on 127.0.0.1 against a plain socket that behaves badly: the limits before and
 * after AUTH, the auth deadline, the connection cap, and replies or decodes that would expand.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxLimitsTest {
    private static final String SECRET = "test-secret-0123456789";
    private static final int MESSAGE_LIMIT = 1 << 20;

    private EventLoopImpl loop;
    private Channel server;
    private ChannelGroup connections;
    /** The most bytes each connection's decoder held after any read (what the flood made it keep). */
    private final List<AtomicLong> heldPerConnection = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private MailboxConfig config;

    private static final CommandExecutor EXECUTOR = (name, args, protocol) -> switch (name) {
        case "ping" -> RespSimple.PONG;
        case "echo" -> args.get(0);
        case "type" -> args.get(0) instanceof List<?> ? "list" : String.valueOf(args.get(0).getClass().getName());
        default -> throw new IllegalArgumentException("unknown command '" + name + "'");
    };

    @BeforeEach
    void start() {
        open(Settings.defaults().withAuthTimeout(Duration.ofSeconds(1)).withMailboxMaxConnections(4)
                .withMaxMessageLength(MESSAGE_LIMIT));
    }

    private void open(Settings settings) {
        config = MailboxConfig.of(settings, SECRET);
        loop = EventLoopImpl.onNewThread("mailbox-limits-test");
        connections = new DefaultChannelGroup(loop.netty());
        server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                AtomicLong held = new AtomicLong();
                synchronized (heldPerConnection) {
                    heldPerConnection.add(held);
                }
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.fireChannelRead(msg); // the decoder parses (or discards) this read...
                        if (ctx.pipeline().get("resp") instanceof pulsar.impl.resp.RespDecoder decoder) {
                            held.accumulateAndGet(decoder.bufferedBytes(), Math::max); // ...and holds this much
                        }
                    }
                });
                MailboxServer.initChannel(ch, connections, config, EXECUTOR);
            }
        }).join();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        server.close().sync();
        connections.close().sync();
        loop.stop().get(10, TimeUnit.SECONDS);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(server.localAddress(), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        write(s, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    private static String line(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                out.write(c);
            }
        }
        return c == -1 && out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
    }

    private static String auth(Socket s) throws IOException {
        write(s, "*2\r\n$4\r\nAUTH\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
        return line(s);
    }

    private static boolean closedByPeer(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static byte[] command(String name, byte[] tagged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*2\r\n$" + name.length() + "\r\n" + name + "\r\n$" + tagged.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tagged);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void unauthenticatedFlood_isCutAfterAFewKilobytes_andTheConnectionCloses() throws Exception {
        Socket s = connect();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        // The reviewer's attack: an array of a million elements, then 1 MiB bulks that never finish it.
        CompletableFuture<Void> attacker = CompletableFuture.runAsync(() -> {
            byte[] bulk = ("$1048576\r\n" + "x".repeat(1 << 20) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                write(s, "*1048576\r\n");
                while (writing.get() && sent.get() < 64L << 20) {
                    write(s, bulk);
                    sent.addAndGet(bulk.length);
                }
            } catch (IOException expected) {
                // the mailbox closed the connection
            }
        });
        try {
            assertThat(line(s)).startsWith("-ERR Protocol error").contains("exceeds limit 4096");
            await().atMost(Duration.ofSeconds(10)).until(() -> connections.isEmpty());
        } finally {
            writing.set(false);
            s.close();
            attacker.get(10, TimeUnit.SECONDS);
        }
        // The header alone was refused; whatever came after was discarded, never held. Before the
        // fix the decoder held every byte (512 MiB in the report).
        assertThat(sent.get()).as("the attacker got to send a lot").isGreaterThan(1 << 20);
        assertThat(heldPerConnection.get(0).get()).isLessThanOrEqualTo(4096);
    }

    @Test
    void unauthenticatedRequestsAreLimitedToAFewKilobytes_evenInSmallPieces() throws Exception {
        Socket s = connect();
        write(s, "*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$8000\r\n");
        assertThat(line(s)).startsWith("-ERR Protocol error").contains("exceeds limit 4096");
        assertThat(closedByPeer(s)).isTrue();

        Socket t = connect();
        StringBuilder dribble = new StringBuilder("*1000\r\n");
        for (int i = 0; i < 1000; i++) {
            dribble.append("$1\r\nx\r\n");
        }
        write(t, dribble.toString());
        assertThat(line(t)).startsWith("-ERR Protocol error").contains("exceeds limit 4096");
        assertThat(closedByPeer(t)).isTrue();
        synchronized (heldPerConnection) {
            assertThat(heldPerConnection).allSatisfy(held -> assertThat(held.get()).isLessThanOrEqualTo(4096));
        }
    }

    @Test
    void afterAuth_oneRequestIsBoundedInTotal_notOnlyPerBulk() throws Exception {
        Socket s = connect();
        assertThat(auth(s)).isEqualTo("+OK");
        String half = "y".repeat(MESSAGE_LIMIT / 2 + 10); // each bulk is fine, together they are over
        write(s, "*3\r\n$4\r\nECHO\r\n$" + half.length() + "\r\n" + half + "\r\n$" + half.length() + "\r\n" + half + "\r\n");
        assertThat(line(s)).startsWith("-ERR Protocol error").contains("exceeds limit " + MESSAGE_LIMIT);
        assertThat(closedByPeer(s)).isTrue();

        Socket t = connect();
        assertThat(auth(t)).isEqualTo("+OK");
        String big = "z".repeat(MESSAGE_LIMIT / 2); // far over 4 KiB: authenticated connections may send more
        write(t, "*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n");
        assertThat(line(t)).isEqualTo("$" + big.length());
        assertThat(line(t)).isEqualTo(big);
    }

    @Test
    void authAndRequestInOneWrite_theRequestGetsTheAuthenticatedLimit() throws Exception {
        Socket s = connect();
        String big = "w".repeat(10_000);
        write(s, "*2\r\n$4\r\nAUTH\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n"
                + "*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n");
        assertThat(line(s)).isEqualTo("+OK");
        assertThat(line(s)).isEqualTo("$" + big.length());
        assertThat(line(s)).isEqualTo(big);
    }

    @Test
    void silentConnections_areClosedAfterTheAuthTimeout_authenticatedOnesStay() throws Exception {
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            silent.add(connect());
        }
        Socket authed = connect();
        assertThat(auth(authed)).isEqualTo("+OK");
        for (Socket s : silent) {
            assertThat(line(s)).startsWith("-NOAUTH not authenticated within 1000 ms");
            assertThat(closedByPeer(s)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> connections.size() == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> connections.size() == 1);
        write(authed, "*1\r\n$4\r\nPING\r\n");
        assertThat(line(authed)).isEqualTo("+PONG");
    }

    @Test
    void connectionsOverTheCap_areRefusedWithAnError_untilOneCloses() throws Exception {
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = connect();
            assertThat(auth(s)).isEqualTo("+OK");
            first.add(s);
        }
        Socket fifth = connect();
        assertThat(line(fifth)).isEqualTo(MailboxServer.TOO_MANY.trim());
        assertThat(closedByPeer(fifth)).isTrue();
        first.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> connections.size() == 3);
        Socket again = connect();
        assertThat(auth(again)).isEqualTo("+OK");
    }

    @Test
    void authWithAnotherUser_isWrongpass_andCountsAsAFailure() throws Exception {
        Socket s = connect();
        write(s, "*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
        assertThat(line(s)).startsWith("-WRONGPASS");
        write(s, "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
        assertThat(line(s)).startsWith("-WRONGPASS");
        write(s, "*3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
        assertThat(line(s)).isEqualTo("+OK");
        Socket t = connect();
        for (int i = 0; i < 5; i++) {
            write(t, "*3\r\n$4\r\nAUTH\r\n$3\r\nbob\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
            assertThat(line(t)).startsWith("-WRONGPASS");
        }
        assertThat(closedByPeer(t)).isTrue();
    }

    @Test
    void aPushInARequest_reachesTheCommandAsAPlainList() throws Exception {
        Socket s = connect();
        assertThat(auth(s)).isEqualTo("+OK");
        write(s, "*2\r\n$4\r\ntype\r\n>2\r\n:1\r\n$1\r\na\r\n");
        assertThat(line(s)).isEqualTo("$4");
        assertThat(line(s)).isEqualTo("list");
        write(s, "*2\r\n$4\r\necho\r\n>2\r\n:1\r\n$1\r\na\r\n");
        assertThat(line(s)).isEqualTo("*2");
        assertThat(line(s)).isEqualTo(":1");
    }

    /** A list whose two elements are the same list, {@code levels} deep. */
    private static List<Object> sharedLists(int levels) {
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < levels; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        return list;
    }

    @Test
    void aReplyThatWouldExpand_failsThatCallOnly() throws Exception {
        Socket s = connect();
        assertThat(auth(s)).isEqualTo("+OK");
        byte[] tagged = config.codec().encode(sharedLists(50)); // a kilobyte, 2^50 leaves written out
        assertThat(tagged.length).isLessThan(4096);
        write(s, command("echo", tagged));
        assertThat(line(s)).isEqualTo("-ERR cannot encode the reply: " + pulsar.impl.resp.RespLimits.tooLarge(MESSAGE_LIMIT).getMessage());
        write(s, "*1\r\n$4\r\nPING\r\n");
        assertThat(line(s)).isEqualTo("+PONG");
    }

    @Test
    void aTaggedReplyThatWouldExpand_comesBackAsThatTagsError() throws Exception {
        Socket s = connect();
        write(s, "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$" + SECRET.length() + "\r\n" + SECRET + "\r\n");
        assertThat(line(s)).isEqualTo("%7");
        while (!"*0".equals(line(s))) {
            // the HELLO map, whose last value is the empty modules array
        }
        byte[] tagged = config.codec().encode(sharedLists(50));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*4\r\n$3\r\nTAG\r\n:7\r\n$4\r\necho\r\n$" + tagged.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(tagged);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        write(s, request.toByteArray());
        assertThat(List.of(line(s), line(s), line(s), line(s))).containsExactly(">3", "$5", "reply", ":7");
        assertThat(line(s)).startsWith("-ERR cannot encode the reply: value larger than " + MESSAGE_LIMIT);
    }

    @Test
    void aHashFloodArgument_isRefusedAtOnce_andTheLoopServesOn() throws Exception {
        Socket s = connect();
        assertThat(auth(s)).isEqualTo("+OK");
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        write(s, command("echo", config.codec().encode(root)));
        assertThat(line(s)).startsWith("-ERR cannot decode object").contains("would hash more than");
        write(s, "*1\r\n$4\r\nPING\r\n");
        assertThat(line(s)).isEqualTo("+PONG");
    }
}
