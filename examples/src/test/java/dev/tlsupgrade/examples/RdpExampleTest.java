package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.TestCertificate;
import dev.tlsupgrade.testing.XrdpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RDP example against a real xrdp speaking only TLS 1.0 with a self-signed SHA-1 certificate. */
@Timeout(120)
class RdpExampleTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openssl", "bctls"})
    void reachesAnOldSelfSignedRdpHostAndPrintsWhatCredSspNeeds(String backend, @TempDir Path dir) throws Exception {
        Identity self = TestCertificate.builder("CN=WIN2012").selfSigned().rsa(2048).signatureAlgorithm("SHA1withRSA")
                .build("rdp-example");
        byte[] subjectPublicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
                self.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKey));
        Path knownHosts = dir.resolve("known_hosts");
        try (XrdpServer server = XrdpServer.tls(TlsVersion.TLS_1_0, self)) {
            for (int run = 0; run < 2; run++) { // first use records the key, the second checks it
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                String keyHash = RdpExample.run("localhost", server.port(), knownHosts, backend,
                        new PrintStream(out, true, StandardCharsets.UTF_8));
                assertThat(keyHash).isEqualTo(expected);
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("connected to localhost/127.0.0.1:",
                        backend + " TLSv1 ", "full handshake", "server SubjectPublicKey: ", "tls-server-end-point: ");
            }
            assertThat(Files.readString(knownHosts)).contains("localhost:" + server.port() + " sha256/");
        }
    }
}
