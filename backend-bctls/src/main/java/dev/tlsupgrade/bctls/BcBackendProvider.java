package dev.tlsupgrade.bctls;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;

/**
 * Registers the "bctls" backend: pure-Java TLS 1.0-1.3 from Bouncy Castle, every version per
 * connection with no JVM-wide change. It runs Bouncy Castle's low-level protocol
 * ({@link BcProtocolConnector}), never its JSSE provider: the low-level protocol does not read
 * {@code jdk.tls.disabledAlgorithms} (so legacy servers need no global switch), and it does not
 * report through {@code java.util.logging}, where BCJSSE prints its set-up and every alert to the
 * console of an application that never asked. Crypto is {@link PerAlgorithmCrypto}.
 */
public final class BcBackendProvider implements TlsBackendProvider {
    private PerAlgorithmCrypto crypto;

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
        crypto = new PerAlgorithmCrypto();
    }

    @Override
    public Capabilities capabilities() {
        Capabilities.Builder b = Capabilities.builder();
        for (TlsVersion v : TlsVersion.values()) {
            b.version(v, VersionSupport.SUPPORTED);
        }
        return b.feature(TlsFeature.SNI, TlsFeature.SNI_SINGLE_LABEL, TlsFeature.ALPN, TlsFeature.CLIENT_CERTIFICATES, TlsFeature.CIPHER_SUITE_SELECTION,
                TlsFeature.FALLBACK_SCSV, TlsFeature.CLIENT_HELLO_PADDING, TlsFeature.CLASSIC_HELLO).build();
    }

    @Override
    public java.util.Set<String> supportedCipherSuites() {
        return CipherSuites.names();
    }

    @Override
    public BackendConnector newConnector(ConnectorSettings settings) {
        return new BcProtocolConnector(crypto, settings);
    }
}
