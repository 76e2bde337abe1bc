package dev.tlsupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlsClientConfigTest {

    @Test
    void defaultsAreTheSafeOnes() {
        TlsClientConfig c = TlsClientConfig.defaults();
        assertThat(c.protocols()).containsExactly(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        assertThat(c.legacyProtocolsAllowed()).isFalse();
        assertThat(c.cipherSuites()).isEmpty();
        assertThat(c.trustedCertificates()).isEmpty();
        assertThat(c.trustsAllCertificates()).isFalse();
        assertThat(c.skipsHostnameVerification()).isFalse();
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.alpn()).isEmpty();
    }

    @Test
    void legacyVersionsNeedTheirOwnCall() {
        assertThatThrownBy(() -> TlsClientConfig.builder().protocols(TlsVersion.TLS_1_1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[TLSv1.1]")
                .hasMessageContaining("allowLegacyProtocols()");
        assertThat(TlsClientConfig.builder().protocols(TlsVersion.TLS_1_0).allowLegacyProtocols().build().protocols())
                .containsExactly(TlsVersion.TLS_1_0);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> TlsClientConfig.builder().cipherSuites("ECDHE-RSA-AES128-GCM-SHA256"))
                .hasMessageContaining("'ECDHE-RSA-AES128-GCM-SHA256' is not an IANA name");
        assertThatThrownBy(() -> TlsClientConfig.builder().handshakeTimeout(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> TlsClientConfig.builder().serverName("https://x.example/")).hasMessageContaining("URL");
        assertThatThrownBy(() -> TlsClientConfig.builder().alpn("")).hasMessageContaining("ALPN");
        assertThatThrownBy(() -> TlsClientConfig.builder().protocols()).hasMessageContaining("at least one");
    }

    @Test
    void toBuilderKeepsEverything() {
        TlsClientConfig c = TlsClientConfig.builder().protocols(TlsVersion.TLS_1_3).alpn("h2").serverName("a.example")
                .cipherSuites("TLS_AES_128_GCM_SHA256").insecureSkipHostnameVerification()
                .handshakeTimeout(Duration.ofSeconds(3)).build();
        TlsClientConfig copy = c.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(c.toString());
        assertThat(copy.serverName()).contains("a.example");
    }

    @org.junit.jupiter.api.Test
    void brokenSuitesCannotBePinned() {
        for (String[] bad : new String[][] {
                {"TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "anonymous"},
                {"TLS_ECDHE_RSA_WITH_NULL_SHA", "NULL"},
                {"TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXPORT"},
                {"TLS_ECDHE_RSA_WITH_RC4_128_SHA", "RC4"},
                {"TLS_RSA_WITH_DES_CBC_SHA", "DES"},
                {"TLS_EMPTY_RENEGOTIATION_INFO_SCSV", "signalling"}}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsClientConfig.builder().cipherSuites(bad[0]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad[0]).hasMessageContaining(bad[1]);
        }
        org.assertj.core.api.Assertions.assertThat(TlsClientConfig.builder()
                .cipherSuites("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA").build().cipherSuites())
                .as("static RSA and 3DES may be pinned (with a warning)").hasSize(2);
    }
}
