package pulsar.impl.actor;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import pulsar.ActorProxy;

/**
 * The serializable proxy of an actor: sends go through {@code Pulsar.send}, whose dispatcher skips the
 * socket when the actor lives in this JVM.
 *
 * @param aid the actor id
 * @param name the actor name
 * @param address the mailbox address
 */
public record ActorProxyImpl(String aid, String name, InetSocketAddress address) implements ActorProxy, Serializable {
    @Override
    public CompletableFuture<Object> send(String command, Object... args) {
        return pulsar.Pulsar.send(this, command, args);
    }

    @Override
    public String toString() {
        return "ActorProxy[" + aid + " " + name + " " + address.getHostString() + ":" + address.getPort() + "]";
    }
}
