package pulsar.impl.mailbox;

import java.time.Duration;
import pulsar.Settings;
import pulsar.impl.resp.RespLimits;
import pulsar.impl.serial.ObjectCodec;

/**
 * What mailboxes and their clients share: the secret, the frame limits, the object codec and the
 * connection limits.
 *
 * @param secret the AUTH secret
 * @param limits RESP frame limits; {@link RespLimits#maxMessageLength()} bounds a request once
 *               authenticated, and every reply or request written
 * @param codec decodes tagged objects after AUTH; its {@link ObjectCodec#maxLength()} is the same message limit
 * @param maxUnauthenticatedLength most bytes one request may take before AUTH
 * @param authTimeout a connection not authenticated within it is closed
 * @param maxConnections most open connections per mailbox
 */
public record MailboxConfig(String secret, RespLimits limits, ObjectCodec codec, int maxUnauthenticatedLength,
                            Duration authTimeout, int maxConnections) {
    /** The configuration the settings describe; reads (or creates) the secret file. */
    public static MailboxConfig of(Settings settings) {
        return of(settings, Secrets.load(settings));
    }

    /** The configuration the settings describe, with a secret given rather than read from its file. */
    public static MailboxConfig of(Settings settings, String secret) {
        RespLimits d = RespLimits.DEFAULT;
        int message = settings.maxMessageLength();
        RespLimits limits = new RespLimits(Math.min(settings.maxBulkLength(), message), d.maxAggregateLength(),
                d.maxDepth(), d.maxLineLength(), message);
        ObjectCodec codec = (settings.serializationAllow().isEmpty()
                ? ObjectCodec.denyList() : ObjectCodec.allowList(settings.serializationAllow())).withMaxLength(message);
        return new MailboxConfig(secret, limits, codec, settings.maxUnauthenticatedLength(), settings.authTimeout(),
                settings.mailboxMaxConnections());
    }
}
