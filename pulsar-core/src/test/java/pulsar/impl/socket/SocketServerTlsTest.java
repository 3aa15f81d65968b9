package pulsar.impl.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static pulsar.impl.socket.SocketTesting.onFreePort;
import static pulsar.impl.socket.SocketTesting.port;
import static pulsar.impl.socket.SocketTesting.roundTrip;
import static pulsar.impl.socket.SocketTesting.stat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pulsar.app.SocketProtocol;

/**
 * TLS from {@code cert_file}/{@code key_file}, with a self-signed certificate and a PKCS#8 key that
 * the {@code openssl} command writes for the test (skipped where there is no {@code openssl}).
 */
@Timeout(60)
class SocketServerTlsTest {
    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;

    private final SocketTesting t = new SocketTesting();

    @BeforeAll
    static void generateCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (java.io.IOException noOpenssl) {
            assumeThat(false).as("the openssl command is needed to generate a certificate: " + noOpenssl).isTrue();
            return;
        }
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).as("openssl ends").isTrue();
        assertThat(openssl.exitValue()).as("openssl: %s", Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    void tlsEcho_withTheGeneratedCertificate() throws Exception {
        SocketServer server = t.start(onFreePort().withTls(cert, key), SocketProtocol.echo());
        assertThat(server.info()).containsEntry("tls", true);
        SSLSocket s = (SSLSocket) t.track(trusting(cert).getSocketFactory().createSocket("127.0.0.1", port(server)));
        s.setSoTimeout(5000);
        s.startHandshake();
        assertThat(s.getSession().getPeerCertificates()).hasSize(1);
        assertThat(roundTrip(s, "secret hello")).isEqualTo("secret hello");
        // on the wire: the handshake and records, more than the 12 bytes of plain text
        assertThat(stat(server, "bytes_read")).isGreaterThan(12);
        assertThat(stat(server, "bytes_written")).isGreaterThan(12);
    }

    @Test
    void aPlainTextClient_isClosed_andTheServerGoesOn() throws Exception {
        SocketServer server = t.start(onFreePort().withTls(cert, key), SocketProtocol.echo());
        Socket plain = t.connect(server);
        plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
        assertThat(SocketTesting.closedByServer(plain, java.time.Duration.ofSeconds(5))).isTrue();
        SSLSocket s = (SSLSocket) t.track(trusting(cert).getSocketFactory().createSocket("127.0.0.1", port(server)));
        s.setSoTimeout(5000);
        assertThat(roundTrip(s, "fine")).isEqualTo("fine");
    }

    private static SSLContext trusting(Path certFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
