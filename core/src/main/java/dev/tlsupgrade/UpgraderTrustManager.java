package dev.tlsupgrade;

import dev.tlsupgrade.internal.trust.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * {@link TlsUpgrader#trustManager()}: the upgrader's own verifier, so a client that demands a trust
 * manager gets the very decision the upgrader makes. The two-argument check has no connection to
 * take the host name from, so it uses the config's {@code serverName(...)} and refuses without one.
 */
final class UpgraderTrustManager extends X509ExtendedTrustManager {
    private final CertificateVerifier verifier;
    private final TlsClientConfig config;

    UpgraderTrustManager(CertificateVerifier verifier, TlsClientConfig config) {
        this.verifier = verifier;
        this.config = config;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verifier.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verifier.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        boolean needsHost = !config.skipsHostnameVerification() && config.pinnedCertificates().isEmpty()
                && config.knownHosts().isEmpty();
        if (config.serverHostName() == null && needsHost) {
            throw new CertificateException("no host name to check the certificate against: this check has no "
                    + "connection to take it from; set TlsClientConfig.Builder.serverName(...)");
        }
        verifier.verify(chain, authType, config.serverHostName(), -1);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verifier.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verifier.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifier.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.getAcceptedIssuers();
    }
}
