package pulsar.impl.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * addReader/addWriter in child JVMs with and without {@value Descriptors#OPENS_FLAG}: the flag is
 * optional; without it everything works, with one info line at most.
 */
class ChannelWatchJvmFlagTest {
    @Test
    @Timeout(90)
    void withoutTheFlag_epollLoopRelays_andSaysSoOnce() throws Exception {
        assumeTrue(Epoll.isAvailable(), "the relay is what epoll loops use without the flag");
        String out = runChild();
        assertThat(out)
                .contains("accessible=false", "epoll=true", "backend=RELAY", "read=hello", "wroteOnLoop=true",
                        "removed=true", "done")
                .doesNotContain("InaccessibleObjectException");
        assertThat(out.lines().filter(l -> l.contains(Descriptors.OPENS_FLAG)))
                .as(out).singleElement().asString().contains("INFO").contains("-Dpulsar.nio=true");
        assertNoPulsarWarnings(out);
    }

    @Test
    @Timeout(90)
    void withTheFlag_epollLoopWatchesDescriptorsInItsOwnEpollSet() throws Exception {
        assumeTrue(Epoll.isAvailable(), "descriptors are for epoll loops");
        String out = runChild(Descriptors.OPENS_FLAG);
        assertThat(out)
                .contains("accessible=true", "epoll=true", "backend=EPOLL_FD", "read=hello", "wroteOnLoop=true",
                        "removed=true", "done")
                .doesNotContain(Descriptors.OPENS_FLAG);
        assertNoPulsarWarnings(out);
    }

    @Test
    @Timeout(90)
    void withoutTheFlag_nioLoopUsesItsSelector_silently() throws Exception {
        String out = runChild("-Dpulsar.nio=true");
        assertThat(out)
                .contains("accessible=false", "epoll=false", "backend=NIO_SELECTOR", "read=hello", "wroteOnLoop=true",
                        "removed=true", "done")
                .doesNotContain(Descriptors.OPENS_FLAG);
        assertNoPulsarWarnings(out);
    }

    private static void assertNoPulsarWarnings(String out) {
        assertThat(out.lines().filter(l -> (l.contains("WARN") || l.contains("ERROR")) && l.contains("p.i.l.")))
                .as(out).isEmpty();
    }

    /** Runs {@link AddReaderMain} in a JVM with {@code options} only (no flag from this JVM); its output. */
    private static String runChild(String... options) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AddReaderMain.class.getName()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }
}
