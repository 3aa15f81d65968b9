package pulsar.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import pulsar.Pulsar;
import pulsar.app.Monitor;
import pulsar.testkit.ArbiterExtension;
import pulsar.testkit.Curl;

/** HTTPS with a certificate that the {@code openssl} command writes (skipped without it): routes, and files sent in chunks. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpTlsTest {
    @RegisterExtension
    static final ArbiterExtension arbiter = new ArbiterExtension();
    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;

    @BeforeAll
    static void generateCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (java.io.IOException noOpenssl) {
            assumeThat(false).as("the openssl command is needed to generate a certificate: " + noOpenssl).isTrue();
            return;
        }
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).isZero();
    }

    @AfterEach
    void stopApps() throws Exception {
        for (Monitor m : Pulsar.arbiter().monitors()) {
            m.stop().exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void https_servesRoutesAndFiles() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        byte[] big = new byte[1024 * 1024 + 17];
        new Random(7).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        int port = TestApp.freePort();
        new TestApp(www.toString()).start(port, "cert_file", cert.toString(), "key_file", key.toString());
        String base = "https://127.0.0.1:" + port;
        assertThat(Curl.run("-k", base + "/users/9")).isEqualTo("user 9");
        Path got = dir.resolve("got.bin");
        assertThat(Curl.run("-k", "-o", got.toString(), "-w", "%{http_code}", base + "/static/big.bin")).isEqualTo("200");
        assertThat(Files.readAllBytes(got)).isEqualTo(big);
        assertThat(Curl.run("-k", "-r", "10-19", "-o", got.toString(), "-w", "%{http_code}", base + "/static/big.bin"))
                .isEqualTo("206");
        assertThat(Files.readAllBytes(got)).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 20));
    }
}
