package pulsar.impl.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pulsar.Settings;

/**
 * The mailbox secret: one per user, kept in a file only its owner can read, created on first
 * use. Like Erlang's cookie, it is the trust boundary of every mailbox.
 */
public final class Secrets {
    private static final Logger log = LoggerFactory.getLogger(Secrets.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Secrets() {
    }

    /** The secret file for these settings: the setting, else {@code PULSAR_SECRET_FILE}, else {@code ~/.pulsar/secret}. */
    public static Path path(Settings settings) {
        if (settings.secretFile() != null) {
            return Path.of(settings.secretFile());
        }
        String env = System.getenv("PULSAR_SECRET_FILE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".pulsar", "secret");
    }

    /** Reads the secret, creating the file with a random secret when it does not exist. */
    public static String load(Settings settings) {
        return readOrCreate(path(settings).toAbsolutePath()); // read each time: the owner may change it
    }

    private static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            checkOwnerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (secret.isEmpty() || secret.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException("secret file " + file + " must hold one word without spaces");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        Path tmp = Files.createTempFile(dir, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
        try {
            // Another process may create it at the same time: a hard link fails if the file
            // exists, so the first one wins and every process reads the same secret.
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            // someone else's secret stands
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.info("created the mailbox secret in {}", file);
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IllegalStateException("secret file " + file + " is readable by others (" + PosixFilePermissions.toString(perms)
                    + "): run chmod 600 " + file);
        }
    }

    /** Compares in constant time. */
    public static boolean matches(String secret, String candidate) {
        return candidate != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }
}
