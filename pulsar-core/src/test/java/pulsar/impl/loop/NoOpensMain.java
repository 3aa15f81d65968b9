package pulsar.impl.loop;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link ChannelWatchJvmFlagTest} in a child JVM without
 * {@value ChannelWatch#OPENS_FLAG}: addReader on an epoll loop must still work (fallback watcher).
 */
final class NoOpensMain {
    private NoOpensMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("accessible=" + ChannelWatch.descriptorsAccessible());
        EventLoopImpl loop = EventLoopImpl.onNewThread("child-loop", false);
        System.out.println("epoll=" + loop.usesEpoll());
        Pipe p = Pipe.open();
        CompletableFuture<String> got = new CompletableFuture<>();
        StringBuilder sb = new StringBuilder();
        loop.addReader(p.source(), () -> {
            try {
                if (!loop.inLoop()) {
                    got.completeExceptionally(new AssertionError("reader off the loop thread"));
                }
                ByteBuffer b = ByteBuffer.allocate(1); // one byte per call: level-triggered
                int n = p.source().read(b);
                if (n > 0) {
                    sb.append((char) b.get(0));
                }
                if (sb.length() == 5) {
                    got.complete(sb.toString());
                }
            } catch (Exception e) {
                got.completeExceptionally(e);
            }
        });
        System.out.println("backend=" + loop.channelWatch().backend(p.source()));
        p.sink().write(ByteBuffer.wrap("hello".getBytes(US_ASCII)));
        System.out.println("read=" + got.get(10, TimeUnit.SECONDS));
        System.out.println("removed=" + loop.removeReader(p.source()));
        loop.stop().get(10, TimeUnit.SECONDS);
        System.out.println("done");
        System.exit(0);
    }
}
