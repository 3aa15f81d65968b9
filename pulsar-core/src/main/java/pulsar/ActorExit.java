package pulsar;

import java.util.OptionalInt;

/**
 * How a supervised actor ended, as the arbiter saw it: delivered to every {@link ActorListener}
 * and listed under {@code exited} in the arbiter's {@code info}.
 *
 * @param aid the actor id
 * @param name the actor name
 * @param concurrency thread or process
 * @param pid the process id it ran in (the arbiter's own for thread actors)
 * @param age the spawn order: 1 for the first actor the arbiter spawned, larger for younger ones
 * @param cause why it ended
 * @param exitCode a process actor's exit code; empty for thread actors
 * @param description one line saying what happened
 * @param lastOutput the last lines a process actor printed, or empty
 */
public record ActorExit(String aid, String name, Concurrency concurrency, long pid, long age, Cause cause,
                        OptionalInt exitCode, String description, String lastOutput) {
    /** Why an actor ended: a closed vocabulary a monitor can act on. */
    public enum Cause {
        /** It stopped when asked ({@code stop}, {@link Arbiter#stop()}) or by itself, cleanly. */
        STOPPED,
        /** It missed its {@code timeout}, was asked to stop and did. */
        TIMED_OUT,
        /** It did not stop within its {@code stop_grace} and was killed. */
        KILLED,
        /** Its process ended without being asked, after it had started. */
        CRASHED,
        /** It ended before its handshake and {@code onStart} completed. */
        FAILED_TO_START
    }

    /** Whether it ended before it had started, the case a crash-loop brake counts. */
    public boolean failedToStart() {
        return cause == Cause.FAILED_TO_START;
    }
}
