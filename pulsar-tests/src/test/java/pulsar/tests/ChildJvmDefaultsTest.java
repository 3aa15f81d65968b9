package pulsar.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.testkit.ArbiterExtension;

/**
 * A process actor's JVM with the default options: tiered compilation (C2, not C1 only), the
 * default options on its command line, and no logging back-end of its own (its SLF4J binding
 * writes lines to standard error, which the parent tags and logs).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChildJvmDefaultsTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();

    @Test
    void defaultOptions_areTieredWithASmallFootprint() {
        assertThat(Settings.DEFAULT_JVM_OPTIONS).doesNotContain("TieredStopAtLevel").contains("-XX:CICompilerCount=2")
                .contains("-XX:ReservedCodeCacheSize=64m").contains("-Xms4m").contains("-XX:TrimNativeHeapInterval=1000");
    }

    @Test
    void aProcessActor_runsWithTheDefaultOptions_andNoLogback() throws Exception {
        ActorProxy p = Pulsar.spawn(Spawn.process().name("defaults")).orTimeout(60, TimeUnit.SECONDS).join();
        try {
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) p.run((actor, a) -> ManagementFactory.getRuntimeMXBean().getInputArguments())
                    .orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(String.join(" ", args)).contains(Settings.DEFAULT_JVM_OPTIONS);
            Object factory = p.run((actor, a) -> org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
                    .orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(factory).isEqualTo("pulsar.impl.runtime.ChildLogging$Factory");
            // Netty's logging goes through the same binding
            Object netty = p.run((actor, a) -> Class.forName("io.netty.util.internal.logging.InternalLoggerFactory")
                            .getMethod("getDefaultFactory").invoke(null).getClass().getSimpleName())
                    .orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(netty).isEqualTo("Slf4JLoggerFactory");
        } finally {
            long pid = Children.pid(p);
            p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
    }

    @Test
    void slf4jProviderInTheJvmOptions_isKept() throws Exception {
        ActorProxy p = Pulsar.spawn(Spawn.process().name("logback")
                .jvmOptions("-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider")).orTimeout(60, TimeUnit.SECONDS).join();
        try {
            Object factory = p.run((actor, a) -> org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
                    .orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(factory).isEqualTo("ch.qos.logback.classic.LoggerContext");
        } finally {
            long pid = Children.pid(p);
            p.send("stop").orTimeout(20, TimeUnit.SECONDS).join();
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        }
    }
}
