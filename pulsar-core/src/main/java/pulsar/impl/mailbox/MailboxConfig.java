package pulsar.impl.mailbox;

import pulsar.Settings;
import pulsar.impl.resp.RespLimits;
import pulsar.impl.serial.ObjectCodec;

/**
 * What mailboxes and their clients share: the secret, the frame limits and the object codec.
 *
 * @param secret the AUTH secret
 * @param limits RESP frame limits
 * @param codec decodes tagged objects after AUTH
 */
public record MailboxConfig(String secret, RespLimits limits, ObjectCodec codec) {
    /** The configuration the settings describe; reads (or creates) the secret file. */
    public static MailboxConfig of(Settings settings) {
        return of(settings, Secrets.load(settings));
    }

    /** The configuration the settings describe, with a secret given rather than read from its file. */
    public static MailboxConfig of(Settings settings, String secret) {
        RespLimits d = RespLimits.DEFAULT;
        RespLimits limits = new RespLimits(settings.maxBulkLength(), d.maxAggregateLength(), d.maxDepth(), d.maxLineLength());
        ObjectCodec codec = settings.serializationAllow().isEmpty()
                ? ObjectCodec.denyList() : ObjectCodec.allowList(settings.serializationAllow());
        return new MailboxConfig(secret, limits, codec);
    }
}
