package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.resp.RespSimple;

/**
 * Replies and requests are batched into one buffer per flush: order is kept, every reply is
 * flushed (also those completed outside a read), and a client that does not read its replies
 * stops being read once the connection's write water mark is reached, so the mailbox holds a
 * bounded amount for it; reading resumes when the client catches up.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MailboxFlowTest {
    private static final String SECRET = "flow-secret-0123456789";
    private static final int PAYLOAD = 1000;

    private EventLoopImpl loop;
    private Channel server;
    private ChannelGroup connections;
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesRead = new AtomicLong();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<EventLoopImpl> clientLoops = new ArrayList<>();
    private ScheduledExecutorService later;
    private MailboxConfig config;

    @BeforeEach
    void start() {
        later = Executors.newSingleThreadScheduledExecutor();
        CommandExecutor executor = (name, args, protocol) -> switch (name) {
            case "ping" -> RespSimple.PONG;
            case "echo" -> args.get(0);
            case "later" -> { // completes on another thread, after a moment
                CompletableFuture<Object> f = new CompletableFuture<>();
                later.schedule(() -> f.complete(args.get(0)), ThreadLocalRandom.current().nextInt(300), TimeUnit.MICROSECONDS);
                yield f;
            }
            default -> throw new IllegalArgumentException("unknown command '" + name + "'");
        };
        config = MailboxConfig.of(Settings.defaults().withMaxMessageLength(1 << 20), SECRET);
        loop = EventLoopImpl.onNewThread("mailbox-flow-test");
        connections = new DefaultChannelGroup(loop.netty());
        server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                accepted.add(ch);
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        bytesRead.addAndGet(((ByteBuf) msg).readableBytes());
                        ctx.fireChannelRead(msg);
                    }
                });
                MailboxServer.initChannel(ch, connections, config, executor);
            }
        }).join();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (EventLoopImpl l : clientLoops) {
            l.stop().get(10, TimeUnit.SECONDS);
        }
        server.close().sync();
        connections.close().sync();
        loop.stop().get(10, TimeUnit.SECONDS);
        later.shutdownNow();
    }

    private Socket connect(int receiveBuffer) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer); // before connect: caps the window the client offers
        }
        s.connect(server.localAddress(), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static byte[] resp(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String payload(int i) {
        String n = String.format("%010d", i);
        return n + "x".repeat(PAYLOAD - n.length());
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Reads one RESP2 bulk string reply. */
    private static String bulk(DataInputStream in) throws IOException {
        String head = line(in);
        assertThat(head).startsWith("$");
        byte[] body = new byte[Integer.parseInt(head.substring(1))];
        in.readFully(body);
        line(in);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static long pendingBytes(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Test
    void aClientThatDoesNotRead_stopsBeingRead_theMailboxHoldsABoundedAmount_thenEveryReplyArrivesInOrder() throws Exception {
        int requests = 30_000; // 30 MB of requests and as many of replies: far more than socket buffers hold
        Socket s = connect(8 * 1024);
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(resp("AUTH", SECRET));
                ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                for (int i = 0; i < requests; i++) {
                    chunk.writeBytes(resp("ECHO", payload(i)));
                    if (chunk.size() >= 64 * 1024 || i == requests - 1) {
                        out.write(chunk.toByteArray());
                        chunk.reset();
                        written.set(i + 1);
                    }
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                writeFailure.set(e);
            }
        }, "flow-test-writer");
        writer.setDaemon(true);
        writer.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 1);
        Channel ch = accepted.get(0);
        // The mailbox stops reading once the replies waiting for the client pass the high water mark
        // (the kernel's socket buffers may take some more first): wait until nothing has been read
        // for a while and reading is off.
        AtomicLong lastRead = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = bytesRead.get();
            return now == lastRead.getAndSet(now) && !ch.config().isAutoRead();
        });
        // What waits for the client stays bounded: the high water mark, plus the replies of the read
        // batch in progress when it was crossed; without the back-pressure it would be ~30 MB.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
                !ch.config().isAutoRead() && pendingBytes(ch) <= 4L * 1024 * 1024);
        assertThat(pendingBytes(ch)).isGreaterThanOrEqualTo(MailboxServer.WATER_MARK.low());
        assertThat(written.get()).as("the writer is blocked: the mailbox stopped reading").isLessThan(requests);
        assertThat(bytesRead.get()).isLessThan((long) requests * PAYLOAD);

        // The client reads now: every reply comes, in request order, and the writer finishes.
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024));
        assertThat(line(in)).isEqualTo("+OK");
        for (int i = 0; i < requests; i++) {
            String reply = bulk(in);
            assertThat(reply.substring(0, 10)).isEqualTo(String.format("%010d", i));
            assertThat(reply).hasSize(PAYLOAD);
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(writeFailure.get()).isNull();
        assertThat(written.get()).isEqualTo(requests);
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.config().isAutoRead() && pendingBytes(ch) == 0);
    }

    @Test
    void pipelinedPlainRequests_someCompletingLater_areAnsweredInRequestOrder_andAllFlushed() throws Exception {
        int requests = 5_000;
        Socket s = connect(0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(resp("AUTH", SECRET));
        for (int i = 0; i < requests; i++) {
            all.writeBytes(resp(i % 3 == 0 ? "LATER" : "ECHO", "r" + i));
        }
        s.getOutputStream().write(all.toByteArray());
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        assertThat(line(in)).isEqualTo("+OK");
        for (int i = 0; i < requests; i++) {
            assertThat(bulk(in)).isEqualTo("r" + i);
        }
        // The last replies completed outside any read: they were flushed all the same (we got them).
        s.getOutputStream().write(resp("PING"));
        assertThat(line(in)).isEqualTo("+PONG");
    }

    @Test
    void ourClient_manyTaggedRequestsInOneBurst_eachGetsItsOwnReply() throws Exception {
        EventLoopImpl clientLoop = EventLoopImpl.onNewThread("mailbox-flow-client");
        clientLoops.add(clientLoop);
        MailboxClient client = MailboxClient.connect(clientLoop, (InetSocketAddress) server.localAddress(), config)
                .get(10, TimeUnit.SECONDS);
        int requests = 20_000;
        List<CompletableFuture<Object>> replies = new ArrayList<>(requests);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // From the client's loop, as an actor sends: one burst, flushed by one task at its end.
        clientLoop.execute(() -> {
            for (int i = 0; i < requests; i++) {
                replies.add(client.send(i % 4 == 0 ? "later" : "echo", new Object[] {(long) i, }));
            }
            sent.complete(null);
        });
        sent.get(10, TimeUnit.SECONDS);
        // And from a thread that is not the loop's.
        assertThat(client.send("echo", new Object[] {"from outside"}).get(10, TimeUnit.SECONDS)).isEqualTo("from outside");
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < requests; i++) {
            assertThat(replies.get(i).join()).isEqualTo((long) i);
        }
        // A request too large to encode fails alone; the batch it was to join goes out intact.
        CompletableFuture<Object> before = client.send("echo", new Object[] {"before"});
        CompletableFuture<Object> tooLarge = client.send("echo", new Object[] {"y".repeat(config.limits().maxMessageLength() + 1)});
        CompletableFuture<Object> after = client.send("echo", new Object[] {"after"});
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("before");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(tooLarge).isCompletedExceptionally();
        client.close();
        client.closed().get(10, TimeUnit.SECONDS);
    }
}
