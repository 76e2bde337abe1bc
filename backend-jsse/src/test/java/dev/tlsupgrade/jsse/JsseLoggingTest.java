package dev.tlsupgrade.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** What the library logs (this module's tests send slf4j-simple's output, at DEBUG, to a file). */
class JsseLoggingTest {
    private static List<String> linesAbout(String host) throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        return Files.readAllLines(log).stream().filter(l -> l.contains(host)).collect(Collectors.toList());
    }

    @Test
    void insecureOptionsWarnOnEveryUpgradeAndEveryHandshakeIsDescribedAtDebug() throws Exception {
        String host = "logging.example.test";
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start()) {
            for (int i = 0; i < 2; i++) {
                try (SSLSocket tls = TlsBackends.get("jsse").newUpgrader(TlsClientConfig.builder()
                                .trustedCertificates(TestPki.get().caPem()).insecureSkipHostnameVerification().build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port())) {
                    assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
                }
            }
        }
        List<String> lines = linesAbout(host);
        assertThat(lines.stream().filter(l -> l.contains("WARN") && l.contains("insecureSkipHostnameVerification()")))
                .as("one warning per upgrade: " + lines).hasSize(2);
        assertThat(lines).anyMatch(l -> l.contains("DEBUG") && l.contains("upgrading " + host + " (127.0.0.1:")
                && l.contains("offering [TLSv1.2, TLSv1.3]") && l.contains("SNI " + host));
        assertThat(lines).anyMatch(l -> l.contains("DEBUG") && l.contains("jsse TLSv1.3 TLS_") && l.contains("SNI " + host)
                && l.contains("full handshake") && l.contains("cipher suites"));
    }

    @Test
    void trustingEverythingWarns() throws Exception {
        String host = "trust-all.example.test";
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().selfSigned()).start();
                SSLSocket tls = TlsBackends.get("jsse").newUpgrader(TlsClientConfig.builder().insecureTrustAllCertificates()
                                .insecureSkipHostnameVerification().build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port())) {
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        assertThat(linesAbout(host)).anyMatch(l -> l.contains("WARN") && l.contains("insecureTrustAllCertificates()")
                && l.contains("NOT checked"));
    }

    @Test
    void aFailureIsToldAtWarn() throws Exception {
        String host = "failing.example.test";
        try (JsseTestServer server = JsseTestServer.builder().start()) {
            try {
                TlsBackends.get("jsse").newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port()).close();
            } catch (javax.net.ssl.SSLException expected) {
                // the wrong host is refused; the log is what this test reads
            }
        }
        // The exception carries the explanation: logged once more at DEBUG, never at WARN, so that an application
        // that logs what it catches shows it once.
        List<String> failure = linesAbout(host).stream()
                .filter(l -> l.contains("jsse could not upgrade the connection to " + host)).collect(Collectors.toList());
        assertThat(failure).hasSize(1).allMatch(l -> l.contains("DEBUG") && l.contains("is for DNS:localhost"));
    }
}
