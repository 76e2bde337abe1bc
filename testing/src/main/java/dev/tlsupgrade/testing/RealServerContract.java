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

    @org.junit.jupiter.api.Test
    void anRdpServerWithoutTlsIsSaidSo() throws Exception {
        try (XrdpServer server = XrdpServer.rdpSecurityOnly(); Socket plain = Loopback.connect(Loopback.v4(), server.port())) {
            assertThatThrownBy(() -> Preamble.rdp().negotiate(plain, Duration.ofSeconds(10)))
                    .isInstanceOf(dev.tlsupgrade.preamble.PreambleException.class)
                    .hasMessageContaining("does not offer TLS");
        }
    }
}
