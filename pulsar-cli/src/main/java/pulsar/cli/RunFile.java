package pulsar.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the arbiter that this user started last with {@code pulsar run} listens: a file that
 * {@code run} writes once its arbiter runs and removes when it exits, holding
 * {@code HOST:PORT PID}. The control commands ({@code info}, {@code scale}, ...) read it when
 * no {@code --arbiter} is given. {@code PULSAR_RUN_FILE} moves it.
 */
final class RunFile {
    private RunFile() {
    }

    static Path path() {
        String env = System.getenv("PULSAR_RUN_FILE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".pulsar", "run", "arbiter");
    }

    /** Records {@code hostPort} as the last arbiter, for this process. */
    static void write(String hostPort) throws IOException {
        Path file = path();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.writeString(tmp, hostPort + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the file if it still names this process (a later run may have replaced it). */
    static void remove() {
        Path file = path();
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            if (parts.length == 2 && parts[1].equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException ignored) {
            // gone already
        }
    }

    /**
     * The {@code HOST:PORT} of the last arbiter, when its process still runs.
     *
     * @throws IllegalStateException saying what to do when there is none
     */
    static String arbiter() {
        Path file = path();
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            long pid = Long.parseLong(parts[1]);
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return parts[0];
            }
            throw new IllegalStateException("the arbiter recorded in " + file + " (pid " + pid
                    + ") is gone: start one with 'pulsar run APP', or name one with --arbiter HOST:PORT");
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException i) {
                throw i;
            }
            throw new IllegalStateException("no running arbiter recorded in " + file
                    + ": start one with 'pulsar run APP', or name one with --arbiter HOST:PORT");
        }
    }
}
