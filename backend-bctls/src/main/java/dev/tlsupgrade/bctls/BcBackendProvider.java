package dev.tlsupgrade.bctls;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.internal.SslContextConnector;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Registers the "bctls" backend: pure-Java TLS from Bouncy Castle, every version per connection with
 * no JVM-wide change. TLS 1.2/1.3 configs go through BCJSSE (a provider instance of its own, never
 * installed); a config that lists TLS 1.0 or 1.1 goes through Bouncy Castle's low-level protocol,
 * which never reads {@code jdk.tls.disabledAlgorithms}. Both use {@link JdkFirstCrypto}.
 */
public final class BcBackendProvider implements TlsBackendProvider {
    private JdkFirstCrypto crypto;
    private BouncyCastleJsseProvider jsse;

    @Override
    public String name() {
        return "bctls";
    }

    @Override
    public int preference() {
        return 40;
    }

    @Override
    public void load() {
        crypto = new JdkFirstCrypto();
        jsse = new BouncyCastleJsseProvider(false, crypto);
    }

    @Override
    public Capabilities capabilities() {
        Capabilities.Builder b = Capabilities.builder();
        for (TlsVersion v : TlsVersion.values()) {
            b.version(v, VersionSupport.SUPPORTED);
        }
        return b.feature(TlsFeature.SNI, TlsFeature.ALPN, TlsFeature.CLIENT_CERTIFICATES, TlsFeature.CIPHER_SUITE_SELECTION)
                .build();
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        if (settings.config().protocols().stream().anyMatch(TlsVersion::isLegacy)) {
            return new BcProtocolConnector(crypto, settings);
        }
        return new SslContextConnector(name(), jsse, settings);
    }
}
