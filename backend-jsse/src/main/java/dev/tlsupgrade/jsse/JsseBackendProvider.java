package dev.tlsupgrade.jsse;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.internal.SslContextConnector;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;
import java.security.Provider;
import java.security.Security;

/**
 * Registers the "jsse" backend: the JDK's SunJSSE provider, asked for by name so that another
 * provider installed JVM-wide is never picked up by accident.
 */
public final class JsseBackendProvider implements TlsBackendProvider {
    static final String NAME = "jsse";

    private Provider provider;
    private java.util.Set<String> supportedSuites;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int preference() {
        return 10;
    }

    @Override
    public void load() throws java.security.GeneralSecurityException {
        Provider p = Security.getProvider("SunJSSE");
        if (p == null) {
            throw new IllegalStateException("this JVM has no SunJSSE provider");
        }
        this.provider = p;
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS", p);
        context.init(null, null, null);
        this.supportedSuites = java.util.Set.of(context.getSupportedSSLParameters().getCipherSuites());
    }

    @Override
    public java.util.Set<String> supportedCipherSuites() {
        return supportedSuites;
    }

    @Override
    public void enableJvmWideOptIn() {
        JsseBackend.enableLegacyProtocolsGlobally();
    }

    @Override
    public Capabilities capabilities() {
        Capabilities.Builder b = Capabilities.builder()
                .version(TlsVersion.TLS_1_2, VersionSupport.SUPPORTED)
                .version(TlsVersion.TLS_1_3, VersionSupport.SUPPORTED)
                .globalOptIn(JsseBackend.OPT_IN_CALL)
                .feature(TlsFeature.SNI, TlsFeature.SNI_SINGLE_LABEL, TlsFeature.ALPN, TlsFeature.CLIENT_CERTIFICATES, TlsFeature.SESSION_RESUMPTION,
                        TlsFeature.CIPHER_SUITE_SELECTION);
        for (TlsVersion legacy : new TlsVersion[] {TlsVersion.TLS_1_0, TlsVersion.TLS_1_1}) {
            b.version(legacy, LegacyProtocols.enabledInThisJvm(legacy)
                    ? VersionSupport.SUPPORTED : VersionSupport.NEEDS_GLOBAL_OPT_IN);
        }
        return b.build();
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        return new SslContextConnector(NAME, provider, settings);
    }
}
