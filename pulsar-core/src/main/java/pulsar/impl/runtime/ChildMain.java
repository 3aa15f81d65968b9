package pulsar.impl.runtime;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import pulsar.impl.actor.ActorProxyImpl;
import pulsar.impl.actor.ChildSpec;
import pulsar.impl.actor.ManagedActor;
import pulsar.impl.loop.EventLoopImpl;
import pulsar.impl.mailbox.MailboxConfig;

/**
 * The main class of a process actor's JVM. It reads its {@link ChildSpec} from standard input,
 * runs the actor's loop on the main thread and exits when the actor stops. It never outlives
 * its parent: end of standard input, or the parent process ending, stops it at once and halts
 * it shortly after if the stop hangs.
 */
public final class ChildMain {
    private static final long HALT_AFTER_MS = 1500;

    private ChildMain() {
    }

    /** Entry point; {@code --spare} warms up before waiting for the spec. */
    public static void main(String[] args) {
        DataInputStream in = new DataInputStream(System.in);
        boolean spare = args.length > 0 && args[0].equals("--spare");
        var current = new java.util.concurrent.atomic.AtomicReference<ManagedActor>();
        watchParentProcess(current);
        if (spare) {
            warmUp();
        }
        ChildSpec spec;
        try {
            spec = ChildSpec.readFrom(in);
        } catch (java.io.EOFException e) {
            System.exit(0); // a spare that was never used
            return;
        } catch (Throwable t) {
            System.err.println("pulsar child: cannot read its spawn spec: " + t);
            t.printStackTrace();
            System.exit(2);
            return;
        }
        MailboxConfig config = MailboxConfig.of(spec.settings(), spec.secret());
        PulsarRuntime runtime = PulsarRuntime.get();
        InetSocketAddress manager = new InetSocketAddress(spec.managerHost(), spec.managerPort());
        runtime.dispatcher().useRemoteArbiter(manager, config);
        ActorProxyImpl arbiter = new ActorProxyImpl("arbiter", "arbiter", manager);
        ManagedActor actor = new ManagedActor(spec.aid(), spec.age(), spec.spawn(), arbiter, spec.settings(), config, runtime.services());
        String name = spec.spawn().name() == null ? "process" : spec.spawn().name();
        EventLoopImpl loop = EventLoopImpl.forCallingThread("pulsar-" + name + "-" + spec.aid());
        current.set(actor);
        actor.attach(loop);
        watchStandardInput(in, actor);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: stop gracefully (onStop runs once) within the grace period.
            try {
                actor.stop().get(spec.settings().stopGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "pulsar-child-shutdown"));
        loop.runInCallingThread();
        System.exit(0);
    }

    /** The parent holds our standard input open; its end means the parent is gone. */
    private static void watchStandardInput(DataInputStream in, ManagedActor actor) {
        Thread t = new Thread(() -> {
            try {
                while (in.read() != -1) {
                    // nothing else is sent after the spec
                }
            } catch (java.io.IOException ignored) {
                // treated as end of input
            }
            orphaned(actor, "standard input closed");
        }, "pulsar-child-stdin");
        t.setDaemon(true);
        t.start();
    }

    private static void watchParentProcess(java.util.concurrent.atomic.AtomicReference<ManagedActor> current) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> orphaned(current.get(), "parent process ended")));
    }

    private static void orphaned(ManagedActor actor, String why) {
        System.err.println("pulsar child: " + why + ": stopping");
        if (actor != null) {
            actor.stop();
        }
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException ignored) {
                // halting now
            }
            Runtime.getRuntime().halt(3);
        }, "pulsar-child-halt");
        halt.setDaemon(true);
        halt.start();
        if (actor == null) {
            Runtime.getRuntime().halt(3);
        }
    }

    /**
     * Loads, initializes and runs once what every actor uses, so a spare child serves its spawn
     * fast: a loopback server and a connection to it through the event loop, a RESP request and
     * reply both ways in pooled buffers (the first pooled allocation initializes Netty's allocator
     * and its JFR event types, most of a second on a busy machine), the object codec, a spawn
     * spec's serialization and the command registry. Errors only make the spare colder.
     */
    private static void warmUp() {
        try {
            EventLoopImpl loop = EventLoopImpl.onNewThread("pulsar-warmup");
            try {
                java.util.concurrent.CompletableFuture<Object> replied = new java.util.concurrent.CompletableFuture<>();
                var server = loop.createServer(new InetSocketAddress("127.0.0.1", 0), new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel ch) {
                        ch.pipeline().addLast(new pulsar.impl.resp.RespDecoder(), new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                                io.netty.util.ReferenceCountUtil.release(msg);
                                io.netty.buffer.ByteBuf out = ctx.alloc().ioBuffer();
                                pulsar.impl.resp.RespWriter.write(out, java.util.List.of("warm", 1L), 3, null);
                                ctx.writeAndFlush(out);
                            }
                        });
                    }
                }).get(5, TimeUnit.SECONDS);
                var client = loop.createConnection((InetSocketAddress) server.localAddress(), new io.netty.channel.ChannelInitializer<>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel ch) {
                        ch.pipeline().addLast(new pulsar.impl.resp.RespDecoder(), new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                                io.netty.util.ReferenceCountUtil.release(msg);
                                replied.complete(msg);
                            }
                        });
                    }
                }).get(5, TimeUnit.SECONDS);
                io.netty.buffer.ByteBuf request = client.alloc().ioBuffer();
                pulsar.impl.resp.RespWriter.writeCommand(request, "ping", java.util.List.of("warm", 1L), null);
                client.writeAndFlush(request);
                replied.get(5, TimeUnit.SECONDS);
                io.netty.buffer.ByteBuf heap = io.netty.buffer.ByteBufAllocator.DEFAULT.heapBuffer(1024);
                heap.release();
                client.close().sync();
                server.close().sync();
            } finally {
                loop.stop().get(5, TimeUnit.SECONDS);
            }
            pulsar.impl.serial.ObjectCodec.denyList().decode(pulsar.impl.serial.ObjectCodec.denyList().encode(java.util.List.of("warm")));
            var spec = new java.io.ByteArrayOutputStream();
            new ChildSpec("warm", 0, pulsar.Spawn.process().name("warm").setting("timeout", "30s"), "127.0.0.1", 1, "-",
                    pulsar.Settings.defaults()).writeTo(new java.io.DataOutputStream(spec));
            ChildSpec.readFrom(new DataInputStream(new java.io.ByteArrayInputStream(spec.toByteArray())));
            PulsarRuntime.get().commands().lookup("ping");
        } catch (Exception e) {
            System.err.println("pulsar child: warm-up failed (continuing): " + e);
        }
        preload();
    }

    /**
     * Loads (without initializing) Pulsar's classes and Netty's HTTP codec from the class path,
     * which most workers need and the warm-up does not touch: a spawn then finds them loaded.
     */
    private static void preload() {
        ClassLoader loader = ChildMain.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            java.nio.file.Path path = java.nio.file.Path.of(entry);
            try {
                if (java.nio.file.Files.isDirectory(path)) {
                    try (var files = java.nio.file.Files.walk(path)) {
                        files.map(f -> path.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                                .filter(ChildMain::preloaded).forEach(n -> load(loader, n));
                    }
                } else if (entry.endsWith(".jar") && java.nio.file.Files.isRegularFile(path)) {
                    try (var jar = new java.util.jar.JarFile(path.toFile())) {
                        jar.stream().map(java.util.jar.JarEntry::getName).filter(ChildMain::preloaded).forEach(n -> load(loader, n));
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // that entry stays cold
            }
        }
    }

    private static boolean preloaded(String name) {
        if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class")) {
            return false;
        }
        return name.startsWith("pulsar/impl/") || name.startsWith("pulsar/http/") || name.startsWith("pulsar/app/")
                || name.matches("pulsar/[^/]+\\.class") || name.matches("io/netty/handler/codec/http/[^/]+\\.class");
    }

    private static void load(ClassLoader loader, String file) {
        try {
            Class.forName(file.substring(0, file.length() - 6).replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            // not loadable here: the spawn will say so if it needs it
        }
    }
}
