/**
 * Pulsar for Java: actors with their own event loops and RESP mailboxes, supervised by an
 * arbiter. The API is the package {@code pulsar}; start with {@link pulsar.Pulsar}. The package
 * {@code pulsar.app} holds the public pieces of the ready servers (the socket server's config and
 * protocol).
 *
 * <p>Every {@code pulsar.impl.*} package is implementation and is not exported. A qualified
 * export below opens one to a module of this project only, and says which class needs it;
 * {@code docs/architecture.md} shows which package may use which. A new {@code pulsar.impl}
 * package needs no line here unless another module of the project must see it.
 *
 * <p>Netty is part of the API ({@link pulsar.EventLoop} takes {@code Channel}s and
 * {@code ChannelInitializer}s), hence {@code requires transitive io.netty.transport}. On the
 * module path, the epoll transport needs its native module
 * ({@code --add-modules io.netty.transport.epoll.linux.x86_64}, or {@code ..aarch_64}) and
 * {@code EventLoop.addReader} on a JDK channel needs
 * {@code --add-opens java.base/sun.nio.ch=pulsar.core}; without them Pulsar falls back to NIO.
 * Process actors start their child JVMs with the parent's class path ({@code java.class.path}),
 * so a program that spawns process actors runs on the class path.
 */
@SuppressWarnings("module") // the targets of the qualified exports are compiled after this module
module pulsar.core {
    exports pulsar;
    exports pulsar.app;

    // SocketPingBench forces the socket path to a thread actor of its own JVM
    // (PulsarRuntime.get().dispatcher().sendBySocket): Pulsar.send takes the in-JVM shortcut for
    // every local target, so no API call measures it. SameJvmPathTest compares that path with
    // the in-JVM one, for the same actor.
    exports pulsar.impl.runtime to pulsar.benchmarks, pulsar.tests;
    exports pulsar.impl.mailbox to pulsar.benchmarks, pulsar.tests;

    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires org.slf4j;
}
