package pulsar.impl.actor;

import java.io.Serializable;
import java.net.InetSocketAddress;
import pulsar.ActorProxy;
import pulsar.impl.mailbox.Forwarded;

/**
 * The serializable proxy of a co-located actor: {@code address} is its host's mailbox (the
 * arbiter's), which forwards {@code actor AID COMMAND ARGS...} to it; in the host's JVM a send
 * goes straight to the actor's loop.
 *
 * @param aid the actor id
 * @param name the actor name
 * @param address the mailbox of its host
 */
public record HostedProxy(String aid, String name, InetSocketAddress address) implements ActorProxy, Forwarded, Serializable {
    @Override
    public String toString() {
        return "ActorProxy[" + aid + " " + name + " via " + address.getHostString() + ":" + address.getPort() + "]";
    }
}
