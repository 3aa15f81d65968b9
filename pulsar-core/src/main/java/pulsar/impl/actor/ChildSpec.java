package pulsar.impl.actor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import pulsar.Settings;
import pulsar.Spawn;

/**
 * What a child JVM needs to become an actor. It travels on the child's standard input (never
 * the command line, which other users can read), as a length-prefixed serialized record.
 *
 * @param aid the actor id
 * @param age the spawn order
 * @param spawn the spec, with its hooks
 * @param managerHost the arbiter's mailbox host
 * @param managerPort the arbiter's mailbox port
 * @param secret the mailbox secret
 * @param settings the settings the actor runs with: the arbiter's with the spec's overrides
 */
public record ChildSpec(String aid, long age, Spawn spawn, String managerHost, int managerPort, String secret, Settings settings)
        implements Serializable {
    private static final int MAX_LENGTH = 64 * 1024 * 1024;

    /** Writes the spec, length first. */
    public void writeTo(DataOutputStream out) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(this);
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    /** Reads a spec; the stream comes from the parent, which we trust as we trust our own class path. */
    public static ChildSpec readFrom(DataInputStream in) throws IOException, ClassNotFoundException {
        int length = in.readInt();
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IOException("bad child spec length " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated child spec: " + bytes.length + " of " + length + " bytes");
        }
        try (ObjectInputStream ois = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return (ChildSpec) ois.readObject();
        }
    }
}
