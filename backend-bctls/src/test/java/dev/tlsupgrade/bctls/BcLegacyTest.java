package dev.tlsupgrade.bctls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.io.IOException;
import java.security.Security;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BcLegacyTest {
    private static final String PROPERTY = "jdk.tls.disabledAlgorithms";

    private static TlsClientConfig.Builder legacy(TlsVersion v) {
        return TlsClientConfig.builder().protocols(v).allowLegacyProtocols().trustedCertificates(TestPki.get().caPem());
    }

    private static SSLSocket upgrade(TlsClientConfig config, int port) throws IOException {
        return TlsBackends.get("bctls").newUpgrader(config).upgrade(Loopback.connect(Loopback.v4(), port), "localhost", port);
    }

    @Test
    void tls10ThroughBctlsChangesNothingJvmWideAndJsseStillRefusesIt() throws Exception {
        String before = Security.getProperty(PROPERTY);
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
            try (SSLSocket tls = upgrade(legacy(TlsVersion.TLS_1_0).build(), server.port())) {
                assertThat(TlsHandshakeInfo.of(tls).orElseThrow().version()).isEqualTo(TlsVersion.TLS_1_0);
            }
            assertThat(Security.getProperty(PROPERTY)).isEqualTo(before).contains("TLSv1,");

            assertThat(TlsBackends.get("jsse").capabilities().versionSupport(TlsVersion.TLS_1_0))
                    .isEqualTo(VersionSupport.NEEDS_GLOBAL_OPT_IN);
            assertThatThrownBy(() -> TlsBackends.get("jsse").newUpgrader(legacy(TlsVersion.TLS_1_0).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bctls");
            SSLContext plainJsse = SSLContext.getInstance("TLS", "SunJSSE");
            plainJsse.init(null, null, null);
            try (SSLSocket raw = (SSLSocket) plainJsse.getSocketFactory().createSocket(
                    Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port(), true)) {
                raw.setEnabledProtocols(new String[] {"TLSv1"});
                assertThatThrownBy(raw::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
        }
    }

    @Test
    void legacyConfigsOfferStaticRsaButNeverNullCiphers() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).cipher("NULL-SHA:@SECLEVEL=0").start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrade(legacy(TlsVersion.TLS_1_0).build(), server.port()));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.NO_SHARED_CIPHER);
        }
        // Core's policy offers static RSA when a legacy version is offered: old servers may have nothing else.
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).cipher("AES128-SHA:@SECLEVEL=0").start();
                SSLSocket tls = upgrade(legacy(TlsVersion.TLS_1_0).build(), server.port())) {
            assertThat(tls.getSession().getCipherSuite()).isEqualTo("TLS_RSA_WITH_AES_128_CBC_SHA");
        }
    }
}
