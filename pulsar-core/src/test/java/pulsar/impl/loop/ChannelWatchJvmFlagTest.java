package pulsar.impl.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** addReader/addWriter with and without {@value ChannelWatch#OPENS_FLAG}. */
class ChannelWatchJvmFlagTest {
    @Test
    @Timeout(30)
    void withTheFlagDescriptorsAreAccessible() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assumeTrue(args.stream().anyMatch(a -> a.replace(' ', '=').contains("java.base/sun.nio.ch=ALL-UNNAMED")),
                "this JVM runs without " + ChannelWatch.OPENS_FLAG);
        assertThat(ChannelWatch.descriptorsAccessible()).isTrue();
    }

    @Test
    @Timeout(90)
    void withoutTheFlagEpollLoopsFallBackToTheWatcherThread() throws Exception {
        assumeTrue(Epoll.isAvailable(), "the fallback is for epoll loops");
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NoOpensMain.class.getName())
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(out)
                .contains("accessible=false")
                .contains("epoll=true")
                .contains("backend=fallback")
                .contains("read=hello")
                .contains("removed=true")
                .contains("done")
                // the one-time warning tells exactly which flag to add
                .contains(ChannelWatch.OPENS_FLAG)
                .contains("-Dpulsar.nio=true");
        assertThat(child.exitValue()).as(out).isZero();
    }
}
