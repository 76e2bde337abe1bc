package dev.tlsupgrade.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.testing.ChildJvm;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.security.Security;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class JsseLegacyOptInTest {

    @Test
    void theOptInCalledAfterTheFirstTlsUseFailsLoudlyAndChangesNothing() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = TlsBackends.get("jsse")
                        .newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        String before = Security.getProperty("jdk.tls.disabledAlgorithms");

        assertThatThrownBy(JsseBackend::enableLegacyProtocolsGlobally)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too late")
                .hasMessageContaining("-Djava.security.properties=");

        assertThat(Security.getProperty("jdk.tls.disabledAlgorithms")).isEqualTo(before).contains("TLSv1");
        assertThat(TlsBackends.get("jsse").capabilities().versionSupport(TlsVersion.TLS_1_0))
                .isEqualTo(VersionSupport.NEEDS_GLOBAL_OPT_IN);
    }

    /**
     * The probe tries the JVM-wide opt-in in a JVM of its own when nothing else reaches the server,
     * says so in the row, recommends the call first thing, and leaves this JVM unchanged.
     */
    @Test
    void theProbeTriesTheOptInInAJvmOfItsOwn() throws Exception {
        String before = Security.getProperty("jdk.tls.disabledAlgorithms");
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
            dev.tlsupgrade.probe.ProbeReport report = dev.tlsupgrade.probe.TlsProbe.of("localhost", server.port())
                    .addresses(Loopback.v4()).trustedCertificates(TestPki.get().caPem())
                    .attemptTimeout(java.time.Duration.ofSeconds(5)).jvmWideOptIns().build().run();
            dev.tlsupgrade.probe.ProbeResult r = report.recommendation().orElseThrow(() -> new AssertionError(report.toTable()));
            assertThat(r.ok()).as(report.toTable()).isTrue();
            assertThat(r.version()).isEqualTo("TLSv1");
            assertThat(r.concession()).contains("enableJvmWideOptIn(\"jsse\")", "JsseBackend.enableLegacyProtocolsGlobally()");
            assertThat(report.snippet().orElseThrow()).startsWith("TlsBackends.enableJvmWideOptIn(\"jsse\");");
        }
        assertThat(Security.getProperty("jdk.tls.disabledAlgorithms")).isEqualTo(before).contains("TLSv1");
        assertThat(TlsBackends.get("jsse").capabilities().versionSupport(TlsVersion.TLS_1_0))
                .isEqualTo(VersionSupport.NEEDS_GLOBAL_OPT_IN);
    }

    @Test
    void theOptInMadeFirstThingInAFreshJvmReachesATls10Server() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
            ChildJvm.Result r = ChildJvm.run(LegacyOptInMain.class, String.valueOf(server.port()),
                    TestPki.get().caPem().toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            String output = r.output();
            assertThat(output).contains("NEGOTIATED TLSv1 ").contains("WHOLE JVM");
        }
    }
}
