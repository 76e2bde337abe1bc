package dev.tlsupgrade.jsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    @Test
    void theOptInMadeFirstThingInAFreshJvmReachesATls10Server() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    LegacyOptInMain.class.getName(), String.valueOf(server.port()), TestPki.get().caPem().toString()))
                    .redirectErrorStream(true).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("NEGOTIATED TLSv1 ").contains("WHOLE JVM");
        }
    }
}
