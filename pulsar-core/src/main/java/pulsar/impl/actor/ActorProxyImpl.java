package pulsar.impl.actor;

import java.io.Serializable;
import java.net.InetSocketAddress;
import pulsar.ActorProxy;

/**
 * The serializable proxy of an actor: {@link ActorProxy#send} goes through this JVM's
 * dispatcher, which skips the socket when the actor lives in this JVM.
 *
 * @param aid the actor id
 * @param name the actor name
 * @param address the mailbox address
 */
public record ActorProxyImpl(String aid, String name, InetSocketAddress address) implements ActorProxy, Serializable {
    @Override
    public String toString() {
        return "ActorProxy[" + aid + " " + name + " " + address.getHostString() + ":" + address.getPort() + "]";
    }
}
