package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FallbackConnector;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.testing.LegacyZoo;
import dev.tlsupgrade.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fallback connector against the legacy zoo, from a default config: every server whose only
 * obstacle is its version or extension intolerance (or the ClientHello size) is reached, data
 * crosses, and the way in is remembered; a modern server behind a downgrade middlebox is never
 * reached below TLS 1.2.
 */
@Timeout(120)
class FallbackConnectorTest {
    @TempDir
    Path dir;

    private FallbackConnector connector(LegacyZoo zoo) {
        TlsClientConfig.Builder config = TlsClientConfig.builder().handshakeTimeout(Duration.ofSeconds(4));
        config = zoo.selfSigned() ? config.knownHosts(dir.resolve("known_hosts")) : config.trustedCertificates(TestPki.get().caPem());
        return FallbackConnector.builder(config.build()).backends("jsse", "openssl", "bctls").allowLegacyFallback().build();
    }

    @ParameterizedTest
    @EnumSource(value = LegacyZoo.class, names = {"RDP_2008R2", "RDP_2016", "TLS_1_1_ONLY", "TLS_1_3_INTOLERANT", "VERSION_INTOLERANT",
        "VERSION_INTOLERANT_ALERT", "CLIENT_HELLO_SIZE", "GNUTLS_TLS_1_0", "STUNNEL_TLS_1_0", "NGINX_TLS_1_0"})
    void everyServerThatIsOnlyIntolerantIsReachedAndRemembered(LegacyZoo zoo) throws Exception {
        try (LegacyZoo.ZooServer server = zoo.start(dir); FallbackConnector connector = connector(zoo)) {
            for (int round = 0; round < 2; round++) {
                try (SSLSocket tls = connector.connect("localhost", server.port())) {
                    assertThat(TlsHandshakeInfo.of(tls)).isPresent();
                    server.assertDataCrosses(tls);
                }
                assertThat(connector.remembered("localhost", server.port())).as(zoo + " round " + round).isPresent();
            }
        }
    }

    /** The first legacy session with a host is logged once at WARN, not again while it is remembered. */
    @Test
    void goingLegacyIsLoggedOncePerHost() throws Exception {
        try (LegacyZoo.ZooServer server = LegacyZoo.GNUTLS_TLS_1_0.start(dir);
                FallbackConnector connector = connector(LegacyZoo.GNUTLS_TLS_1_0)) {
            for (int i = 0; i < 3; i++) {
                connector.connect("localhost", server.port()).close();
            }
            String key = "localhost:" + server.port() + " was reached only with [";
            java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
            assertThat(java.nio.file.Files.readAllLines(log).stream().filter(l -> l.contains("WARN") && l.contains(key)))
                    .as("one warning for three connections").hasSize(1);
        }
    }

    @Test
    void theSocketFactoryFallsBackForSocketsItDials() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("tlsupgrade.trustedCertificates", TestPki.get().caPem().toString());
        p.setProperty("tlsupgrade.handshakeTimeout", "4s");
        p.setProperty("tlsupgrade.fallback.backends", "jsse,openssl");
        p.setProperty("tlsupgrade.fallback.allowLegacy", "true");
        try (LegacyZoo.ZooServer server = LegacyZoo.VERSION_INTOLERANT.start(dir);
                SSLSocket tls = (SSLSocket) new dev.tlsupgrade.TlsSocketFactory(p).createSocket("localhost", server.port())) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().backend()).isEqualTo("openssl");
            server.assertDataCrosses(tls);
        }
        java.util.Properties legacyAlone = new java.util.Properties();
        legacyAlone.setProperty("tlsupgrade.fallback.allowLegacy", "true");
        assertThat(catchThrowableOfType(() -> new dev.tlsupgrade.TlsSocketFactory(legacyAlone),
                IllegalArgumentException.class)).hasMessageContaining("tlsupgrade.fallback.backends");
    }

    /** A server that needs a named weakening is reached when the config the connector is given names it. */
    @Test
    void aConcessionInTheConfigIsKeptOnEveryRung() throws Exception {
        try (LegacyZoo.ZooServer server = LegacyZoo.STATIC_RSA_ONLY.start(dir);
                FallbackConnector connector = FallbackConnector.builder(TlsClientConfig.builder()
                        .trustedCertificates(TestPki.get().caPem()).cipherSuites("TLS_RSA_WITH_AES_128_CBC_SHA")
                        .handshakeTimeout(Duration.ofSeconds(4)).build()).backends("jsse", "openssl").build();
                SSLSocket tls = connector.connect("localhost", server.port())) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().cipherSuite()).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
            server.assertDataCrosses(tls);
        }
    }

    @Test
    void aModernServerBehindADowngradeMiddleboxIsNeverReachedBelowTls12() throws Exception {
        try (LegacyZoo.ZooServer server = LegacyZoo.DOWNGRADE_MIDDLEBOX.start(dir);
                FallbackConnector connector = connector(LegacyZoo.DOWNGRADE_MIDDLEBOX)) {
            TlsUpgradeException e = catchThrowableOfType(() -> connector.connect("localhost", server.port()),
                    TlsUpgradeException.class);
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).contains("inappropriate_fallback");
            assertThat(connector.remembered("localhost", server.port())).isEmpty();
        }
    }

    @Test
    void aCertificateFailureIsNeverRetried() throws Exception {
        try (LegacyZoo.ZooServer server = LegacyZoo.TLS_1_3_INTOLERANT.start(dir);
                FallbackConnector connector = FallbackConnector.builder(TlsClientConfig.builder()
                        .handshakeTimeout(Duration.ofSeconds(4)).build()).backends("openssl", "bctls").build()) {
            TlsUpgradeException e = catchThrowableOfType(() -> connector.connect("localhost", server.port()),
                    TlsUpgradeException.class);
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(dev.tlsupgrade.FailureKind.CERTIFICATE_UNTRUSTED);
            assertThat(e.backend()).as("no other backend tried after a certificate failure").isEqualTo("openssl");
        }
    }
}
