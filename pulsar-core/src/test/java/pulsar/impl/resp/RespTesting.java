package pulsar.impl.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: feed bytes through a real pipeline and collect what comes out. */
final class RespTesting {
    private RespTesting() {
    }

    static EmbeddedChannel channel() {
        return new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULT));
    }

    static EmbeddedChannel channel(RespLimits limits) {
        return new EmbeddedChannel(new RespDecoder(limits));
    }

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Decodes a buffer holding exactly one frame. */
    static Object decodeOne(String frame) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes(frame));
        Object value = ch.readInbound();
        Object extra = ch.readInbound();
        if (extra != null) {
            throw new AssertionError("more than one value decoded: " + extra);
        }
        ch.finishAndReleaseAll();
        return value;
    }

    static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    static String written(Object value, int protocol, ObjectEncoder objects) {
        ByteBuf buf = Unpooled.buffer();
        RespWriter.write(buf, value, protocol, objects);
        String s = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        return s;
    }

    static String written(Object value, int protocol) {
        return written(value, protocol, v -> {
            throw new AssertionError("unexpected ObjectEncoder call for " + v);
        });
    }
}
