package pulsar.impl.supervise;

import java.util.OptionalInt;

/**
 * What a launcher knows of an ended actor; the {@link Supervisor} adds why it ended.
 *
 * @param exitCode a process's exit code, or empty
 * @param description one line, such as {@code exit code 1}
 * @param lastOutput the last lines a process printed, or empty
 */
public record ExitNotice(OptionalInt exitCode, String description, String lastOutput) {
}
