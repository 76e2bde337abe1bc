package dev.tlsupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tlsupgrade.* properties of TlsSocketFactory: read in order, and refused by name when wrong. */
class TlsSocketFactoryTest {
    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void propertiesBecomeTheConfig() {
        Map<String, String> s = FactoryProperties.resolve(props("tlsupgrade.protocols", "TLSv1, TLSv1.2",
                "tlsupgrade.allowLegacyProtocols", "true", "tlsupgrade.serverName", "db.example.com",
                "tlsupgrade.handshakeTimeout", "500ms", "tlsupgrade.alpn", "postgresql", "other.property", "ignored"));
        TlsClientConfig config = FactoryProperties.config(s);
        assertThat(config.protocols()).containsExactly(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2);
        assertThat(config.legacyProtocolsAllowed()).isTrue();
        assertThat(config.serverName()).contains("db.example.com");
        assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.alpn()).containsExactly("postgresql");
        TlsClientConfig pinned = FactoryProperties.config(FactoryProperties.resolve(props("tlsupgrade.pinnedCertificates",
                "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=, sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=")));
        assertThat(pinned.pinnedCertificates()).hasSize(2);
        TlsClientConfig known = FactoryProperties.config(FactoryProperties.resolve(props("tlsupgrade.knownHosts", "/tmp/known",
                "tlsupgrade.hostPins", "device01=sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertThat(known.knownHosts()).contains(java.nio.file.Path.of("/tmp/known"));
        assertThat(known.hostPins()).containsOnlyKeys("device01");
        TlsClientConfig hostPins = FactoryProperties.config(FactoryProperties.resolve(props("tlsupgrade.hostPins",
                "*.Example.com=sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= | sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=;"
                        + " db.example.com = sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "tlsupgrade.reloadInterval", "5s",
                "tlsupgrade.revocation", "hard_fail")));
        assertThat(hostPins.revocation()).isEqualTo(dev.tlsupgrade.RevocationMode.HARD_FAIL);
        assertThat(hostPins.hostPins()).containsOnlyKeys("*.example.com", "db.example.com");
        assertThat(hostPins.hostPins().get("*.example.com")).hasSize(2);
        assertThat(hostPins.reloadInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void givenPropertiesComeBeforeSystemProperties() {
        System.setProperty("tlsupgrade.serverName", "from-system.example");
        try {
            assertThat(FactoryProperties.resolve(props("tlsupgrade.serverName", "given.example")))
                    .containsEntry("tlsupgrade.serverName", "given.example");
            assertThat(FactoryProperties.resolve(new Properties()))
                    .containsEntry("tlsupgrade.serverName", "from-system.example");
        } finally {
            System.clearProperty("tlsupgrade.serverName");
        }
    }

    @Test
    void badValuesAreRefusedNamingTheProperty(@TempDir Path dir) {
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(props("tlsupgrade.protocols", "TLSv9"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsupgrade.protocols")
                .hasMessageContaining("TLSv9");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(props("tlsupgrade.protocols", "TLSv1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowLegacyProtocols");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.allowLegacyProtocols", "yes")))).hasMessageContaining("tlsupgrade.allowLegacyProtocols");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.handshakeTimeout", "soon")))).hasMessageContaining("tlsupgrade.handshakeTimeout");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.trustedCertificates", missing.toString()))))
                .hasMessageContaining("tlsupgrade.trustedCertificates").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.clientKey", missing.toString())))).hasMessageContaining("tlsupgrade.clientCertificate");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.pinnedCertificates", "sha256/short")))).hasMessageContaining("tlsupgrade.pinnedCertificates")
                .hasMessageContaining("sha256/short");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.hostPins", "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))))
                .hasMessageContaining("tlsupgrade.hostPins").hasMessageContaining("host pattern");
        assertThatThrownBy(() -> FactoryProperties.config(FactoryProperties.resolve(
                props("tlsupgrade.trustStorePassword", "x")))).hasMessageContaining("tlsupgrade.trustStore");
        assertThatThrownBy(() -> FactoryProperties.resolve(props("tlsupgrade.protocol", "TLSv1.2")))
                .hasMessageContaining("unknown property tlsupgrade.protocol").hasMessageContaining("tlsupgrade.protocols");
        assertThatThrownBy(() -> new TlsSocketFactory(props("tlsupgrade.backend", "nosuch")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsupgrade.backend")
                .hasMessageContaining("nosuch");
    }

    @Test
    void durationsTakeUnits() {
        assertThat(FactoryProperties.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(FactoryProperties.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FactoryProperties.duration("PT1S")).isEqualTo(Duration.ofSeconds(1));
        assertThat(FactoryProperties.duration("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void theClassPathFileIsTheLastSource(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tlsupgrade.properties"), "tlsupgrade.serverName=from-file.example\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, before));
        try {
            assertThat(FactoryProperties.resolve(new Properties())).containsEntry("tlsupgrade.serverName", "from-file.example");
            assertThat(FactoryProperties.resolve(props("tlsupgrade.serverName", "given.example")))
                    .containsEntry("tlsupgrade.serverName", "given.example");
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
