package dev.tlsupgrade.conscrypt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.ChildJvm;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TestPki;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(180)
class ConscryptBackendTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_0", "TLS_1_1"})
    void theProcessWideOptInBringsBackLegacyVersions(TlsVersion version) throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(version).start()) {
            ChildJvm.Result r = ChildJvm.run(LegacyOptInMain.class, String.valueOf(server.port()), version.jsseName(),
                    TestPki.get().caPem().toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("BEFORE NEEDS_GLOBAL_OPT_IN", "AFTER SUPPORTED",
                    "NEGOTIATED " + version.jsseName() + " ", "WHOLE process");
        }
    }

    @Test
    void itsDefaultClientHelloCarriesAPostQuantumShareLargerThanOnePacket() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = TlsBackends.get("conscrypt")
                        .newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().clientHelloSize()).isGreaterThan(1400);
        }
    }

    @Test
    void withoutItsNativeLibraryConscryptIsListedAsUnavailableAndJsseStillWorks() throws Exception {
        ChildJvm.Result r = ChildJvm.withoutNativeLibraries("conscrypt", "conscrypt-openjdk-uber", dir);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("BACKEND conscrypt available=false cause=java.lang.UnsatisfiedLinkError",
                "BACKEND jsse available=true", "GET backend 'conscrypt' is present but cannot load here",
                "JSSE TLSv1.3");
    }

    /** Conscrypt 2.9 sets named groups on sockets only: its engines refuse such a config in words, never silently. */
    @Test
    void anEngineRefusesNamedGroupsItCannotSet() {
        try (dev.tlsupgrade.TlsUpgrader upgrader = TlsBackends.get("conscrypt").newUpgrader(TlsClientConfig.builder()
                .trustedCertificates(TestPki.get().caPem()).namedGroups("x25519").build())) {
            javax.net.ssl.SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", 443);
            org.assertj.core.api.Assertions.assertThatThrownBy(engine::beginHandshake)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named groups")
                    .hasMessageContaining("on an engine");
        }
    }
}
