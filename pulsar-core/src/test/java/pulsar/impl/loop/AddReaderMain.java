package pulsar.impl.loop;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import pulsar.EventLoop;

/**
 * Run by {@link ChannelWatchJvmFlagTest} in a child JVM with or without
 * {@value Descriptors#OPENS_FLAG}: a loop made by {@link EventLoop#create()} reads a pipe with
 * addReader (one byte per call: level-triggered) and writes one with addWriter; prints what it saw.
 */
final class AddReaderMain {
    private AddReaderMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("accessible=" + Descriptors.accessible());
        EventLoopImpl loop = (EventLoopImpl) EventLoop.create();
        System.out.println("epoll=" + loop.usesEpoll());
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        CompletableFuture<String> read = new CompletableFuture<>();
        CompletableFuture<Boolean> wrote = new CompletableFuture<>();
        StringBuilder sb = new StringBuilder();
        loop.addReader(in.source(), () -> {
            try {
                if (!loop.inLoop()) {
                    read.completeExceptionally(new AssertionError("reader off the loop thread"));
                }
                ByteBuffer b = ByteBuffer.allocate(1);
                if (in.source().read(b) > 0) {
                    sb.append((char) b.get(0));
                }
                if (sb.length() == 5) {
                    read.complete(sb.toString());
                }
            } catch (Exception e) {
                read.completeExceptionally(e);
            }
        });
        loop.addWriter(out.sink(), () -> {
            try {
                out.sink().write(ByteBuffer.wrap("w".getBytes(US_ASCII)));
                loop.removeWriter(out.sink());
                wrote.complete(loop.inLoop());
            } catch (Exception e) {
                wrote.completeExceptionally(e);
            }
        });
        System.out.println("backend=" + loop.channelWatches().backendOf(in.source()));
        in.sink().write(ByteBuffer.wrap("hello".getBytes(US_ASCII)));
        System.out.println("read=" + read.get(10, TimeUnit.SECONDS));
        System.out.println("wroteOnLoop=" + wrote.get(10, TimeUnit.SECONDS));
        System.out.println("removed=" + loop.removeReader(in.source()));
        loop.stop().get(10, TimeUnit.SECONDS);
        System.out.println("done");
        // no System.exit: the JVM ends only if stop() ended every thread that keeps it alive
    }
}
