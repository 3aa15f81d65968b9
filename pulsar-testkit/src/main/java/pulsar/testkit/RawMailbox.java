package pulsar.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain blocking socket to a mailbox, for sending bytes no well-behaved client would send. */
public final class RawMailbox implements AutoCloseable {
    private final Socket socket;

    /** Connects with a 10 s read timeout. */
    public RawMailbox(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
    }

    /** Writes raw bytes. */
    public RawMailbox write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Writes a string as UTF-8. */
    public RawMailbox write(String s) throws IOException {
        return write(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code AUTH secret} and returns the reply line. */
    public String auth(String secret) throws IOException {
        write("*2\r\n$4\r\nAUTH\r\n$" + secret.length() + "\r\n" + secret + "\r\n");
        return readLine();
    }

    /** Reads one CRLF-terminated line, without the CRLF. */
    public String readLine() throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                int n = in.read();
                if (n == '\n') {
                    return sb.toString();
                }
                sb.append((char) c);
                if (n == -1) {
                    break;
                }
                sb.append((char) n);
            } else {
                sb.append((char) c);
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Reads until the server closes the connection; returns what came (the connection must close within the read timeout). */
    public String readUntilClosed() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
