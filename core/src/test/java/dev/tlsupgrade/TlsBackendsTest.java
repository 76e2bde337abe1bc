package dev.tlsupgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Discovery as core sees it with only an unavailable backend on the class path. */
class TlsBackendsTest {

    @Test
    void anUnavailableBackendIsListedWithItsOriginalCause() {
        TlsBackend broken = TlsBackends.all().get(0);
        assertThat(broken.name()).isEqualTo("broken");
        assertThat(broken.isAvailable()).isFalse();
        assertThat(broken.unavailabilityCause()).containsInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(broken::checkAvailability).isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("libbroken");
        assertThat(broken.capabilities()).isEqualTo(Capabilities.none());
        assertThat(TlsBackends.available()).isEmpty();
    }

    @Test
    void askingForItExplainsWhy() {
        assertThatThrownBy(() -> TlsBackends.get("broken")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot load here").hasMessageContaining("libbroken")
                .hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(() -> TlsBackends.all().get(0).newUpgrader(TlsClientConfig.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not available");
    }

    @Test
    void askingForAMissingBackendListsWhatIsThere() {
        assertThatThrownBy(() -> TlsBackends.get("openssl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no backend named 'openssl'")
                .hasMessageContaining("broken (unavailable")
                .hasMessageContaining("tlsupgrade-backend-openssl");
    }

    @Test
    void thereIsNoSilentFallbackForTheDefault() {
        assertThatThrownBy(TlsBackends::defaultBackend).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no TLS backend is available");
        System.setProperty(TlsBackends.BACKEND_PROPERTY, "broken");
        try {
            assertThatThrownBy(TlsBackends::defaultBackend).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'broken'");
        } finally {
            System.clearProperty(TlsBackends.BACKEND_PROPERTY);
        }
    }
}
