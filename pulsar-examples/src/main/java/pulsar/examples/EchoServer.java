package pulsar.examples;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import pulsar.Actor;
import pulsar.ActorBehaviour;
import pulsar.ActorProxy;
import pulsar.Pulsar;
import pulsar.Spawn;

/**
 * An actor that serves TCP: its {@code onStart} opens an echo server on its own event loop
 * ({@code actor.loop().createServer}), its {@code onInfo} publishes the server's address and its
 * {@code onStop} closes it. The main program finds the address in the actor's {@code info},
 * talks to the server with a plain socket, and stops everything.
 * <pre>
 * java -cp "pulsar-examples/target/classes:pulsar-examples/target/lib/*" pulsar.examples.EchoServer
 * </pre>
 */
public final class EchoServer {
    private EchoServer() {
    }

    /** The echo actor's hooks; one instance per actor, every method on the actor's loop. */
    public static final class Behaviour implements ActorBehaviour {
        private Channel server;

        /** Public no-argument constructor: the actor makes its own instance. */
        public Behaviour() {
        }

        @Override
        public CompletionStage<?> onStart(Actor actor) {
            // Completes when the server is bound; the spawn completes after that.
            return actor.loop().createServer(new InetSocketAddress("127.0.0.1", 0), new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Echo());
                }
            }).thenAccept(ch -> server = ch);
        }

        @Override
        public void onInfo(Actor actor, Map<String, Object> info) {
            InetSocketAddress a = (InetSocketAddress) server.localAddress();
            info.put("echo_address", a.getHostString() + ":" + a.getPort());
        }

        @Override
        public CompletionStage<?> onStop(Actor actor) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            server.close().addListener(f -> closed.complete(null));
            return closed;
        }
    }

    /** Writes back whatever it reads. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Starts the arbiter and the echo actor, sends a line through the server, stops. */
    public static void main(String[] args) throws Exception {
        Pulsar.arbiter().start().get(30, TimeUnit.SECONDS);
        try {
            ActorProxy echo = Pulsar.spawn(Spawn.thread().name("echo").behaviour(Behaviour.class)).get(30, TimeUnit.SECONDS);
            Map<?, ?> info = (Map<?, ?>) echo.send("info").get(10, TimeUnit.SECONDS);
            String address = (String) info.get("echo_address");
            System.out.println("actor " + echo.aid() + " serves TCP echo on " + address);
            int colon = address.lastIndexOf(':');
            try (Socket socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write("hello, echo\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                System.out.println("sent 'hello, echo', got back '" + in.readLine() + "'");
            }
        } finally {
            Pulsar.arbiter().stop().get(60, TimeUnit.SECONDS);
        }
    }
}
