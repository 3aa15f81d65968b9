package pulsar.impl.actor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import pulsar.ActorState;
import pulsar.Concurrency;

/**
 * What an actor tells its manager with {@code notify}: the handshake (first report), each
 * heartbeat, and a failed start. It travels as a RESP map, so that any client can read it.
 *
 * @param aid the actor id
 * @param name the actor name
 * @param concurrency thread or process
 * @param state where the actor is
 * @param address its mailbox, or {@code null} before it is open
 * @param pid the process it runs in
 * @param timeout its {@code timeout}: the manager stops it when silent for longer
 * @param stopGrace its {@code stop_grace}: the manager kills it when a stop takes longer
 * @param error why it failed, with {@link ActorState#FAILED}; otherwise {@code null}
 */
public record ActorReport(String aid, String name, Concurrency concurrency, ActorState state, InetSocketAddress address,
                          long pid, Duration timeout, Duration stopGrace, String error) {

    /** The report as the {@code notify} command's argument. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aid", aid);
        m.put("name", name);
        m.put("kind", concurrency.wireName());
        m.put("state", state.wireName());
        m.put("address", address == null ? "" : address.getHostString() + ":" + address.getPort());
        m.put("pid", pid);
        m.put("timeout_ms", timeout.toMillis());
        m.put("stop_grace_ms", stopGrace.toMillis());
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }

    /**
     * Reads a {@code notify} argument.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static ActorReport fromMap(Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("'notify' takes a map with the actor's aid, state and address");
        }
        String aid = text(m, "aid", true);
        String name = text(m, "name", false);
        String kind = text(m, "kind", false);
        Concurrency concurrency;
        try {
            concurrency = kind == null ? Concurrency.THREAD : Concurrency.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'notify' field kind: '" + kind + "' is not thread or process");
        }
        ActorState state = ActorState.ofWireName(text(m, "state", true));
        String a = text(m, "address", false);
        InetSocketAddress address = null;
        if (a != null && !a.isEmpty()) {
            int colon = a.lastIndexOf(':');
            try {
                address = new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'notify' field address: '" + a + "' is not host:port");
            }
        }
        return new ActorReport(aid, name, concurrency, state, address, number(m, "pid"),
                millis(m, "timeout_ms"), millis(m, "stop_grace_ms"), text(m, "error", false));
    }

    private static String text(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("'notify' field " + key + ": expected text, not " + (v == null ? "nothing" : v.getClass().getSimpleName()));
        }
        return s;
    }

    private static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    private static Duration millis(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n && n.longValue() > 0 ? Duration.ofMillis(n.longValue()) : null;
    }
}
