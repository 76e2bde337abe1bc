package dev.tlsupgrade.spi;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.internal.material.KeyLog;
import dev.tlsupgrade.internal.trust.CertificateVerifier;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What core hands a backend for one configuration: the config itself, and the trust and key
 * managers core built from it. Every backend must use this trust manager (never its provider's
 * default), so that chain validation and host name checks are the same everywhere.
 */
public final class ConnectorSettings {
    private final TlsClientConfig config;
    private final CertificateVerifier verifier;
    private final X509ExtendedKeyManager keyManager;
    private final KeyLog keyLog;

    public ConnectorSettings(TlsClientConfig config, CertificateVerifier verifier, X509ExtendedKeyManager keyManager,
            KeyLog keyLog) {
        this.config = Objects.requireNonNull(config);
        this.verifier = Objects.requireNonNull(verifier);
        this.keyManager = keyManager;
        this.keyLog = keyLog;
    }

    public TlsClientConfig config() {
        return config;
    }

    /**
     * Core's trust manager. It checks the host name against the session's peer host, so sockets and
     * engines must be created with {@link EngineRequest#peerHost()}.
     */
    public X509ExtendedTrustManager trustManager() {
        return verifier;
    }

    /** The same verifier, for backends that run TLS over streams and call it themselves. */
    public CertificateVerifier verifier() {
        return verifier;
    }

    /** Where to append NSS key log lines, when the config asks for a key log. */
    public Optional<KeyLog> keyLog() {
        return Optional.ofNullable(keyLog);
    }

    /** The client certificate's key manager, when one is configured. */
    public Optional<X509ExtendedKeyManager> keyManager() {
        return Optional.ofNullable(keyManager);
    }
}
