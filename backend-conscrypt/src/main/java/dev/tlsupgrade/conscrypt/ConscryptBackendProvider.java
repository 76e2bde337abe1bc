package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;
import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * Registers the "conscrypt" backend: BoringSSL through Conscrypt, with a provider instance of its
 * own (never installed JVM-wide). Conscrypt's classes are first touched in {@link #load()}, so a
 * machine where its native library cannot load still lists the backend, as unavailable.
 */
public final class ConscryptBackendProvider implements TlsBackendProvider {
    private Provider provider;
    /** Whether TLS 1.0/1.1 were already on when the backend loaded (asked once: the question costs native memory). */
    private boolean legacyAtLoad;
    private java.util.Set<String> supportedSuites;

    @Override
    public String name() {
        return "conscrypt";
    }

    @Override
    public int preference() {
        return 30;
    }

    @Override
    public void load() throws java.security.GeneralSecurityException {
        Conscrypt.checkAvailability();
        provider = Conscrypt.newProvider();
        legacyAtLoad = ConscryptBackend.legacyEnabled(provider);
        supportedSuites = java.util.Set.of(ConscryptBackend.ask(provider, javax.net.ssl.SSLEngine::getSupportedCipherSuites));
    }

    @Override
    public java.util.Set<String> supportedCipherSuites() {
        return supportedSuites;
    }

    /** What Conscrypt can do, as it is before and after the JVM-wide opt-in for TLS 1.0/1.1: two fixed values. */
    private static final Capabilities WITHOUT_LEGACY = capabilities(VersionSupport.NEEDS_GLOBAL_OPT_IN);
    private static final Capabilities WITH_LEGACY = capabilities(VersionSupport.SUPPORTED);

    private static Capabilities capabilities(VersionSupport legacy) {
        return Capabilities.builder()
                .version(TlsVersion.TLS_1_0, legacy)
                .version(TlsVersion.TLS_1_1, legacy)
                .version(TlsVersion.TLS_1_2, VersionSupport.SUPPORTED)
                .version(TlsVersion.TLS_1_3, VersionSupport.SUPPORTED)
                .globalOptIn(ConscryptBackend.OPT_IN_CALL)
                .feature(TlsFeature.SNI, TlsFeature.ALPN, TlsFeature.CLIENT_CERTIFICATES, TlsFeature.SESSION_RESUMPTION,
                        TlsFeature.CIPHER_SUITE_SELECTION, TlsFeature.NAMED_GROUPS, TlsFeature.KEYING_MATERIAL_EXPORT,
                        TlsFeature.CLIENT_HELLO_PADDING, TlsFeature.CLASSIC_HELLO)
                .build();
    }

    /** One of two values made once; asking makes and keeps nothing native. */
    @Override
    public void enableJvmWideOptIn() {
        ConscryptBackend.enableLegacyProtocolsGlobally();
    }

    @Override
    public Capabilities capabilities() {
        return legacyAtLoad || ConscryptBackend.optedIn() ? WITH_LEGACY : WITHOUT_LEGACY;
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        return new ConscryptConnector(provider, settings);
    }
}
