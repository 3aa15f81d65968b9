package pulsar.impl.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pulsar.Settings;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.resp.RespSimple;

/**
 * {@code TAG} requests on a real socket, whether the decoder hands them over whole (id, command,
 * arguments) or as a list (other shapes): refused before authentication and under RESP2, a
 * command that is not a name refused in order, the arguments (none, several, nested, null)
 * exactly as sent, every reply tagged with its id.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MailboxTaggedRequestsTest {
    private static final String SECRET = "tagged-secret-0123456789";

    private EventLoopImpl loop;
    private Channel server;
    private ChannelGroup connections;

    @BeforeEach
    void start() {
        CommandExecutor executor = (name, args, protocol) -> switch (name) {
            case "ping" -> RespSimple.PONG;
            case "args" -> String.valueOf(args); // what the command was given
            default -> throw new IllegalArgumentException("unknown command '" + name + "'");
        };
        MailboxConfig config = MailboxConfig.of(Settings.defaults(), SECRET);
        loop = EventLoopImpl.onNewThread("mailbox-tagged-test");
        connections = new DefaultChannelGroup(loop.netty());
        server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                MailboxServer.initChannel(ch, connections, config, executor);
            }
        }).join();
    }

    @AfterEach
    void stop() throws Exception {
        server.close().sync();
        connections.close().sync();
        loop.stop().get(10, TimeUnit.SECONDS);
    }

    private static String command(String... parts) {
        StringBuilder b = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            b.append('$').append(p.length()).append("\r\n").append(p).append("\r\n");
        }
        return b.toString();
    }

    /** A TAG request with an integer id, written as our client writes it. */
    private static String tag(long id, String... commandAndArgs) {
        StringBuilder b = new StringBuilder("*").append(commandAndArgs.length + 2).append("\r\n$3\r\nTAG\r\n:").append(id).append("\r\n");
        for (String p : commandAndArgs) {
            b.append('$').append(p.length()).append("\r\n").append(p).append("\r\n");
        }
        return b.toString();
    }

    private static String reply(long id, String bulk) {
        return ">3\r\n$5\r\nreply\r\n:" + id + "\r\n$" + bulk.length() + "\r\n" + bulk + "\r\n";
    }

    /** Reads until {@code last} has arrived; returns all that arrived. */
    private static String readUntil(InputStream in, String last) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith(last)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + seen);
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** Checks that {@code parts} appear in {@code text} in this order. */
    private static void assertInOrder(String text, List<String> parts) {
        int at = 0;
        for (String p : parts) {
            int i = text.indexOf(p, at);
            assertThat(i).as("%s after index %d in %s", p, at, text).isGreaterThanOrEqualTo(0);
            at = i + p.length();
        }
    }

    @Test
    void taggedRequestsAreRefusedUntilAuthenticatedAndInResp2_thenAnsweredWithTheirIdsAndArguments() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.localAddress(), 5000);
            s.setSoTimeout(20_000);
            String requests = tag(1, "ping") // before AUTH
                    + command("AUTH", SECRET)
                    + tag(2, "ping") // RESP2
                    + command("HELLO", "3")
                    + tag(3, "ping")
                    + tag(4, "args")
                    + tag(5, "ARGS", "a", "b")
                    + "*4\r\n$3\r\nTAG\r\n:6\r\n$4\r\nargs\r\n*2\r\n:1\r\n_\r\n" // nested, with a null
                    + "*3\r\n$3\r\nTAG\r\n:7\r\n:8\r\n" // a command that is not a name
                    + "*3\r\n$3\r\nTAG\r\n:-9\r\n$4\r\nping\r\n" // an id the decoder does not take whole
                    + tag(10, "args", "1", "2", "3", "4", "5", "6", "7", "8") // ten elements: the same
                    + tag(11, "nope")
                    + tag(12, "ping");
            s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String all = readUntil(s.getInputStream(), ":12\r\n+PONG\r\n");
            assertInOrder(all, List.of(
                    "-NOAUTH Authentication required.\r\n",
                    "+OK\r\n",
                    "-ERR TAG needs RESP3: send HELLO 3 first\r\n",
                    "proto",
                    ">3\r\n$5\r\nreply\r\n:3\r\n+PONG\r\n",
                    reply(4, "[]"),
                    reply(5, "[a, b]"),
                    reply(6, "[[1, null]]"),
                    "-ERR TAG takes an integer id, a command name and its arguments\r\n",
                    ">3\r\n$5\r\nreply\r\n:-9\r\n+PONG\r\n",
                    reply(10, "[1, 2, 3, 4, 5, 6, 7, 8]"),
                    ">3\r\n$5\r\nreply\r\n:11\r\n-ERR unknown command 'nope'\r\n",
                    ">3\r\n$5\r\nreply\r\n:12\r\n+PONG\r\n"));
        }
    }
}
