package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.preamble.Preamble;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upgrades after real servers' plaintext preambles: PostgreSQL (SSLRequest) and xrdp (X.224) pinned
 * to each TLS version, dovecot (IMAP STARTTLS) and postfix (SMTP STARTTLS) pinned to TLS 1.0 and to
 * TLS 1.3. A version the backend claims must work; one it does not is refused before connecting.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(120)
public abstract class RealServerContract {
    protected abstract String backendName();

    /** Starts a real server speaking only one version. */
    private interface Starter {
        LoopbackServer start(TlsVersion version) throws Exception;
    }

    /**
     * On a version the backend claims: starts the server, runs {@code preamble}, upgrades and checks
     * the version negotiated. On one it does not claim: the upgrader is refused before connecting.
     */
    private void upgradeAfter(Preamble preamble, Starter server, TlsVersion version) throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        TlsClientConfig.Builder config = TlsClientConfig.builder().protocols(version)
                .trustedCertificates(TestPki.get().caPem());
        if (version.isLegacy()) {
            config.allowLegacyProtocols();
        }
        if (!backend.capabilities().supports(version)) {
            assertThatThrownBy(() -> backend.newUpgrader(config.build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(version.jsseName());
            return;
        }
        try (LoopbackServer running = server.start(version); TlsUpgrader upgrader = backend.newUpgrader(config.build())) {
            Socket plain = Loopback.connect(Loopback.v4(), running.port());
            preamble.negotiate(plain, Duration.ofSeconds(10));
            try (SSLSocket tls = upgrader.upgrade(plain, "localhost", running.port())) {
                assertThat(TlsHandshakeInfo.of(tls).orElseThrow().version()).isEqualTo(version);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsVersion.class)
    void postgresSslRequestThenUpgradeOnEveryVersion(TlsVersion version) throws Exception {
        upgradeAfter(Preamble.postgres(), PostgresServer::start, version);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsVersion.class)
    void rdpNegotiationThenUpgradeOnEveryVersion(TlsVersion version) throws Exception {
        upgradeAfter(Preamble.rdp(), XrdpServer::tls, version);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_0", "TLS_1_3"})
    void imapStartTlsThenUpgrade(TlsVersion version) throws Exception {
        upgradeAfter(Preamble.imap(), DovecotServer::start, version);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_0", "TLS_1_3"})
    void smtpStartTlsThenUpgrade(TlsVersion version) throws Exception {
        upgradeAfter(Preamble.smtp("client.example"), PostfixServer::start, version);
    }

    /**
     * The RDP field case: a self-signed SHA-1 certificate, as old Windows hosts make them, reached with
     * a pin and with trust on first use, never with insecureTrustAllCertificates().
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_0", "TLS_1_2"})
    void aSelfSignedRdpHostIsReachedWithAPinAndWithKnownHosts(TlsVersion version, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        org.junit.jupiter.api.Assumptions.assumeTrue(backend.capabilities().supports(version),
                () -> backendName() + " does not claim " + version);
        Identity self = TestCertificate.builder("CN=WIN2012-RDP").selfSigned().rsa(2048).signatureAlgorithm("SHA1withRSA")
                .build("rdp-self-signed");
        String pin = "sha256/" + java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(self.certificate().getPublicKey().getEncoded()));
        TlsClientConfig.Builder pinned = TlsClientConfig.builder().protocols(version).pinnedCertificates(pin);
        TlsClientConfig.Builder known = TlsClientConfig.builder().protocols(version).knownHosts(dir.resolve("known_hosts"));
        if (version.isLegacy()) {
            pinned.allowLegacyProtocols();
            known.allowLegacyProtocols();
        }
        try (XrdpServer server = XrdpServer.tls(version, self)) {
            for (TlsClientConfig config : List.of(pinned.build(), known.build(), known.build())) {
                try (TlsUpgrader upgrader = backend.newUpgrader(config)) {
                    Socket plain = Loopback.connect(Loopback.v4(), server.port());
                    Preamble.rdp().negotiate(plain, Duration.ofSeconds(10));
                    try (SSLSocket tls = upgrader.upgrade(plain, "win2012-rdp", server.port())) {
                        assertThat(TlsHandshakeInfo.of(tls).orElseThrow().peerCertificates().get(0))
                                .isEqualTo(self.certificate());
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void anRdpServerWithoutTlsIsSaidSo() throws Exception {
        try (XrdpServer server = XrdpServer.rdpSecurityOnly(); Socket plain = Loopback.connect(Loopback.v4(), server.port())) {
            assertThatThrownBy(() -> Preamble.rdp().negotiate(plain, Duration.ofSeconds(10)))
                    .isInstanceOf(dev.tlsupgrade.preamble.PreambleException.class)
                    .hasMessageContaining("does not offer TLS");
        }
    }
}
