package pulsar.impl.resp;

import io.netty.handler.codec.DecoderException;

/**
 * The peer sent bytes that are not valid RESP, or a frame over a {@link RespLimits} bound.
 * The message starts with {@code Protocol error: } so a server can reply {@code -ERR <message>}
 * as Redis does before closing the connection.
 */
final class RespProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** @param detail what was wrong, without the {@code Protocol error: } prefix */
    public RespProtocolException(String detail) {
        super("Protocol error: " + detail);
    }
}
