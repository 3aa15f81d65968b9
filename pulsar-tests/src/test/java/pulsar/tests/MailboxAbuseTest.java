package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorFunction;
import pulsar.ActorProxy;
import pulsar.FailureKind;
import pulsar.Pulsar;
import pulsar.PulsarException;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.RawMailbox;

/**
 * The reviewer's attacks, end to end, against the arbiter and real thread and process actors:
 * each fails that connection or that call only, quickly, and the actor serves on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MailboxAbuseTest {
    private static final int MESSAGE_LIMIT = 4 << 20;

    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension(s -> s.withAuthTimeout(Duration.ofSeconds(2))
            .withMaxMessageLength(MESSAGE_LIMIT));

    /** A list whose two elements are the same list, {@code levels} deep: 2^levels leaves written out. */
    static List<Object> sharedLists(int levels) {
        List<Object> list = new ArrayList<>(List.of("x"));
        for (int i = 0; i < levels; i++) {
            list = new ArrayList<>(List.of(list, list));
        }
        return list;
    }

    /** A Java object, so that it travels serialized (a bare Set would travel as a RESP set). */
    record Holder(Set<Object> set) implements java.io.Serializable {
    }

    static Holder laughingSets(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < levels; i++) {
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
        return new Holder(root);
    }

    private static Throwable failure(CompletableFuture<Object> f) {
        try {
            Object v = f.orTimeout(30, TimeUnit.SECONDS).join();
            throw new AssertionError("expected a failure, got " + v);
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static List<ActorProxy> actors() {
        return List.of(Pulsar.spawn(Spawn.thread()).orTimeout(30, TimeUnit.SECONDS).join(),
                Pulsar.spawn(Spawn.process()).orTimeout(30, TimeUnit.SECONDS).join());
    }

    private static void stop(List<ActorProxy> actors) {
        for (ActorProxy p : actors) {
            p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void anExpandingReply_failsThatCallOnly_withTheSameErrorOnBothPaths() {
        List<ActorProxy> actors = actors();
        ActorFunction<Object> expand = (actor, args) -> sharedLists(50);
        List<String> replyErrors = new ArrayList<>();
        List<String> requestErrors = new ArrayList<>();
        for (ActorProxy p : actors) {
            long start = System.nanoTime();
            Throwable reply = failure(p.run(expand));
            assertThat(reply).isInstanceOf(PulsarException.class);
            assertThat(((PulsarException) reply).kind()).isEqualTo(FailureKind.REMOTE_ERROR);
            replyErrors.add(reply.getMessage());
            // The same expansion as an argument: refused by our client (socket) or the copy (same JVM).
            Throwable request = failure(p.send("echo", sharedLists(50)));
            requestErrors.add(request.getClass().getName() + ": " + request.getMessage());
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
            assertThat(p.send("ping").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("PONG");
        }
        assertThat(replyErrors.get(0)).contains("max_message_length").contains(String.valueOf(MESSAGE_LIMIT))
                .isEqualTo(replyErrors.get(1));
        assertThat(requestErrors.get(0)).contains("max_message_length").isEqualTo(requestErrors.get(1));
        stop(actors);
    }

    @Test
    void aHashFloodArgument_isRefusedQuickly_andTheActorServesOn() {
        List<ActorProxy> actors = actors();
        for (ActorProxy p : actors) {
            long start = System.nanoTime();
            Throwable t = failure(p.send("echo", laughingSets(40)));
            assertThat(t).isInstanceOfAny(PulsarException.class, IllegalArgumentException.class)
                    .hasMessageContaining("would hash more than");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
            assertThat(p.send("ping").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("PONG");
        }
        stop(actors);
    }

    @Test
    void anUnauthenticatedFlood_closesThatConnection_andTheActorLivesOn() throws Exception {
        List<ActorProxy> actors = actors();
        List<InetSocketAddress> targets = new ArrayList<>();
        targets.add(new InetSocketAddress("127.0.0.1", arbiter.port()));
        actors.forEach(p -> targets.add(p.address()));
        byte[] bulk = ("$1048576\r\n" + "x".repeat(1 << 20) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (InetSocketAddress address : targets) {
            try (RawMailbox raw = new RawMailbox(address)) {
                try {
                    raw.write("*1048576\r\n");
                    for (int i = 0; i < 16; i++) {
                        raw.write(bulk);
                    }
                } catch (IOException closed) {
                    // expected: the mailbox closed the connection after the header
                }
                assertThat(raw.readUntilClosed()).startsWith("-ERR Protocol error").contains("exceeds limit 4096");
            } catch (java.net.SocketException reset) {
                // the close raced our writes and reset the connection: closed as well
            }
        }
        for (ActorProxy p : actors) {
            assertThat(p.send("ping").orTimeout(20, TimeUnit.SECONDS).join()).isEqualTo("PONG");
        }
        stop(actors);
    }

    @Test
    void aSilentConnection_isClosedAfterTheAuthTimeout() throws Exception {
        List<ActorProxy> actors = actors();
        for (InetSocketAddress address : List.of(new InetSocketAddress("127.0.0.1", arbiter.port()), actors.get(1).address())) {
            try (RawMailbox raw = new RawMailbox(address)) {
                long start = System.nanoTime();
                assertThat(raw.readUntilClosed()).startsWith("-NOAUTH not authenticated within 2000 ms");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(1_500L, 9_000L);
            }
        }
        try (RawMailbox raw = new RawMailbox(actors.get(1).address())) {
            assertThat(raw.auth(arbiter.secret())).isEqualTo("+OK");
            raw.write("*2\r\n$4\r\necho\r\n>2\r\n:1\r\n$1\r\na\r\n"); // a push argument is a plain list
            assertThat(raw.readLine()).isEqualTo("*2");
        }
        stop(actors);
    }
}
