package pulsar.impl.supervise;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import pulsar.ActorProxy;
import pulsar.Settings;
import pulsar.Spawn;
import pulsar.impl.mailbox.MailboxConfig;

/**
 * What a {@link Launcher} needs to start one actor.
 *
 * @param aid the actor id
 * @param age its spawn order
 * @param spec the spec
 * @param settings the settings it runs with (the spec's overrides applied)
 * @param manager the arbiter it reports to
 * @param config the secret and limits of its mailbox
 * @param onExit told once, from any thread, when it has ended
 * @param started completes (either way) once its handshake is done, failed or given up on; it
 *                may complete on the arbiter's loop, so what depends on it must not block
 */
public record LaunchRequest(String aid, long age, Spawn spec, Settings settings, ActorProxy manager,
                            MailboxConfig config, Consumer<ExitNotice> onExit, CompletionStage<?> started) {
}
