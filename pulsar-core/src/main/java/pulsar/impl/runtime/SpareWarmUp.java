package pulsar.impl.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import pulsar.Settings;
import pulsar.Spawn;
import java.time.Duration;
import java.util.Map;
import pulsar.ActorState;
import pulsar.Concurrency;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.ActorReport;
import pulsar.impl.actor.ChildSpec;
import pulsar.impl.mailbox.Dispatcher;
import pulsar.impl.mailbox.MailboxConfig;
import pulsar.impl.mailbox.MailboxServer;
import pulsar.impl.resp.RespSimple;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.resp.RespDecoder;
import pulsar.impl.resp.RespWriter;
import pulsar.impl.serial.ObjectCodec;

/**
 * What a spare child JVM does while it waits for a spawn, so that the actor it becomes serves
 * fast: it runs once what every actor runs (a loopback server and a connection to it through the
 * event loop, a RESP request and reply both ways in pooled buffers, the object codec, a spawn
 * spec's serialization, the command registry), runs the handshake path
 * {@value #HANDSHAKE_ROUNDS} times against a stand-in arbiter so that the JIT compiles it (a
 * spawn with a spare went from 57-77 ms to 14-18 ms; issue 10), then loads, without initializing them, Pulsar's
 * classes and Netty's HTTP codec from the class path. The first pooled allocation alone
 * initializes Netty's allocator and its JFR event types: most of a second on a busy machine.
 * Measured with {@code HelloWorldKillTest}: a spare serves a killed worker's replacement in
 * 0.6-1.7 s mostly (about 0.25 s of its CPU), 2.1 s when it warmed up only its loop and codec. Errors only
 * make the spare colder. A spec that arrives meanwhile (an actor waits for this spare) ends the
 * handshake rounds and skips the preloading.
 */
final class SpareWarmUp {
    /** The class files loaded ahead: Pulsar's own, and the HTTP codec (not its subpackages). */
    private static final Pattern PRELOADED = Pattern.compile(
            "(pulsar/(impl|http|app)/.*|pulsar/[^/]+|io/netty/handler/codec/http/[^/]+)\\.class");

    /**
     * Handshakes run against a stand-in arbiter: enough calls for the JIT to compile the client,
     * the codec and the mailbox connection (C1 compiles a method after about 200 calls; tiered
     * compilation's C2 after a few thousand, which a spare does not wait for).
     */
    static final int HANDSHAKE_ROUNDS = 400;

    private SpareWarmUp() {
    }

    static void run() {
        run(SpareWarmUp::specWaiting);
    }

    /** Whether the parent has written the spawn spec already: an actor waits for this spare. */
    private static boolean specWaiting() {
        try {
            return System.in.available() > 0;
        } catch (java.io.IOException e) {
            return true; // standard input is gone: stop warming up, the read will tell
        }
    }

    /** Warms up; the handshake rounds and the preloading stop early once {@code stop} says so. */
    static void run(java.util.function.BooleanSupplier stop) {
        try {
            roundTrip();
            handshake(PulsarRuntime.get().dispatcher(), HANDSHAKE_ROUNDS, stop);
            ObjectCodec.denyList().decode(ObjectCodec.denyList().encode(List.of("warm")));
            // Both forms of a spawn spec: plain, and with params (what goes through the codec).
            for (Spawn warm : List.of(Spawn.process().name("warm").setting("timeout", "30s"),
                    Spawn.process().name("warm").param("warm", 1))) {
                byte[] spec = new ChildSpec("warm", 0, warm, "127.0.0.1", 1, "-", Settings.defaults().withSpareProcesses(1)).toBytes();
                ChildSpec.readFrom(new DataInputStream(new ByteArrayInputStream(spec)));
            }
            PulsarRuntime.get().commands().lookup("ping");
        } catch (Exception e) {
            System.err.println("pulsar child: warm-up failed (continuing): " + e);
        }
        if (!stop.getAsBoolean()) {
            preload();
        }
    }

    /** A RESP request and its reply over a loopback connection, on an event loop of its own. */
    private static void roundTrip() throws Exception {
        EventLoopImpl loop = EventLoopImpl.onNewThread("pulsar-warmup");
        try {
            CompletableFuture<Void> replied = new CompletableFuture<>();
            Channel server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), pipeline((ctx, msg) -> {
                ByteBuf out = ctx.alloc().ioBuffer();
                RespWriter.write(out, List.of("warm", 1L), 3, null);
                ctx.writeAndFlush(out);
            })).get(5, TimeUnit.SECONDS);
            Channel client = loop.createConnection((InetSocketAddress) server.localAddress(),
                    pipeline((ctx, msg) -> replied.complete(null))).get(5, TimeUnit.SECONDS);
            ByteBuf request = client.alloc().ioBuffer();
            RespWriter.writeCommand(request, "ping", List.of("warm", 1L), null);
            client.writeAndFlush(request);
            replied.get(5, TimeUnit.SECONDS);
            ByteBufAllocator.DEFAULT.heapBuffer(1024).release();
            client.close().sync();
            server.close().sync();
        } finally {
            loop.stop().get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * What a spawned actor's handshake runs, {@code rounds} times, against a stand-in arbiter (a
     * mailbox of this JVM on loopback, with a throwaway secret, answering {@code notify} with
     * {@code OK}): the pooled client's connect and {@code HELLO 3 AUTH}, then {@code notify}
     * with an actor's report through the dispatcher, as {@code ManagedActor} sends it, and the
     * mailbox side that decodes and answers it. Each round opens a new connection, so that the
     * connect and the authentication get compiled as well as the request. {@code dispatcher} is
     * pointed at the stand-in (the spawn spec points it at the real arbiter later).
     *
     * @return the rounds answered
     */
    static int handshake(Dispatcher dispatcher, int rounds, java.util.function.BooleanSupplier stop) throws Exception {
        EventLoopImpl loop = EventLoopImpl.onNewThread("pulsar-warmup-handshake");
        MailboxServer server = null;
        try {
            byte[] random = new byte[16];
            new java.security.SecureRandom().nextBytes(random);
            MailboxConfig config = MailboxConfig.of(Settings.defaults(), java.util.HexFormat.of().formatHex(random));
            server = MailboxServer.open(loop, new InetSocketAddress("127.0.0.1", 0), config, (name, args, protocol) -> {
                if (name.equals("notify")) {
                    ActorReport.fromMap(args.get(0));
                }
                return RespSimple.OK;
            }).get(5, TimeUnit.SECONDS);
            InetSocketAddress address = server.address();
            dispatcher.useRemoteArbiter(address, config);
            ActorProxyImpl arbiter = new ActorProxyImpl("arbiter", "arbiter", address);
            Map<String, Object> report = new ActorReport("warmup00", "warm", Concurrency.PROCESS, ActorState.STARTING, address,
                    ProcessHandle.current().pid(), Duration.ofSeconds(30), Duration.ofSeconds(5), null).toMap();
            int failures = 0;
            int answered = 0;
            for (int i = 0; i < rounds && (i % 16 != 0 || !stop.getAsBoolean()); i++) {
                CompletableFuture<Object> reply = new CompletableFuture<>();
                loop.execute(() -> dispatcher.send(arbiter, "notify", report).whenComplete((v, e) -> {
                    if (e != null) {
                        reply.completeExceptionally(e);
                    } else {
                        reply.complete(v);
                    }
                }));
                try {
                    reply.get(5, TimeUnit.SECONDS);
                    answered++;
                } catch (java.util.concurrent.ExecutionException e) {
                    // a connection closed under the request: the next round connects again
                    if (++failures > rounds / 2) {
                        throw e;
                    }
                }
                if (i % 2 == 0) {
                    // the next round connects and authenticates again
                    loop.execute(dispatcher::closeConnections);
                }
            }
            return answered;
        } finally {
            if (server != null) {
                server.close().get(5, TimeUnit.SECONDS);
            }
            loop.stop().get(5, TimeUnit.SECONDS);
        }
    }

    /** A RESP decoder, then {@code onRead} for each value (released after it). */
    private static ChannelInitializer<Channel> pipeline(java.util.function.BiConsumer<ChannelHandlerContext, Object> onRead) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new RespDecoder(), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        try {
                            onRead.accept(ctx, msg);
                        } finally {
                            ReferenceCountUtil.release(msg);
                        }
                    }
                });
            }
        };
    }

    /** Loads (without initializing) the {@link #PRELOADED} classes of every class path entry. */
    private static void preload() {
        ClassLoader loader = SpareWarmUp.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            try {
                if (Files.isDirectory(path)) {
                    try (var files = Files.walk(path)) {
                        files.map(f -> path.relativize(f).toString().replace(File.separatorChar, '/'))
                                .filter(n -> PRELOADED.matcher(n).matches()).forEach(n -> load(loader, n));
                    }
                } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                    try (JarFile jar = new JarFile(path.toFile())) {
                        jar.stream().map(JarEntry::getName).filter(n -> PRELOADED.matcher(n).matches()).forEach(n -> load(loader, n));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // that entry stays cold
            }
        }
    }

    private static void load(ClassLoader loader, String file) {
        if (file.endsWith("module-info.class") || file.endsWith("package-info.class")) {
            return;
        }
        try {
            Class.forName(file.substring(0, file.length() - ".class".length()).replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // not loadable here: the spawn says so if it needs it
        }
    }
}
