package dev.tlsupgrade.internal;

import dev.tlsupgrade.FailureKind;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust manager every backend uses, so that every backend checks a server the same way: PKIX
 * validation against the configured anchors (the platform's, or PEM CAs) by the platform's own
 * validator, then the RFC 6125 host name check of {@link HostnameMatcher} against the name the
 * connection was opened for. A failure is a {@link CertificateProblem} that says which certificate
 * failed which check.
 *
 * <p>The name checked is the provider session's peer host, which backends set to the verification
 * name; stream-based backends call {@link #verify(X509Certificate[], String, HostName)} directly.
 */
public final class CertificateVerifier extends X509ExtendedTrustManager {
    /** Key exchange names the JDK's validator knows; TLS 1.3 has none and is called UNKNOWN there. */
    private static final Set<String> JDK_AUTH_TYPES = Set.of("RSA", "RSA_EXPORT", "DHE_RSA", "DHE_DSS", "DH_RSA", "DH_DSS",
            "ECDHE_RSA", "ECDHE_ECDSA", "ECDH_RSA", "ECDH_ECDSA", "UNKNOWN");

    private final X509ExtendedTrustManager platform;
    private final boolean trustAll;
    private final boolean checkHostname;

    /**
     * @param anchors the CA certificates to trust, or empty for the platform trust store
     * @param withPlatform trust the platform trust store's CAs as well as {@code anchors}
     * @param trustAll accept any chain (insecure, explicitly requested)
     * @param checkHostname check the leaf against the host name
     */
    public CertificateVerifier(Optional<List<X509Certificate>> anchors, boolean withPlatform, boolean trustAll,
            boolean checkHostname) {
        this.platform = trustAll ? null : platformTrustManager(anchors, withPlatform);
        this.trustAll = trustAll;
        this.checkHostname = checkHostname;
    }

    private static X509ExtendedTrustManager platformTrustManager(Optional<List<X509Certificate>> anchors,
            boolean withPlatform) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (anchors.isPresent()) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (X509Certificate ca : anchors.get()) {
                    ks.setCertificateEntry("ca-" + i++, ca);
                }
                if (withPlatform) {
                    for (X509Certificate ca : platformTrustManager(Optional.empty(), false).getAcceptedIssuers()) {
                        ks.setCertificateEntry("platform-" + i++, ca);
                    }
                }
                tmf.init(ks);
            } else {
                tmf.init((KeyStore) null);
            }
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the platform TrustManagerFactory " + tmf.getProvider()
                    + " offers no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up certificate validation: " + e, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        requireChain(chain);
        if (!trustAll) {
            try {
                platform.checkServerTrusted(chain, jdkAuthType(authType), socket);
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }
        SSLSession session = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        checkHost(chain, session == null ? null : session.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        requireChain(chain);
        if (!trustAll) {
            try {
                platform.checkServerTrusted(chain, jdkAuthType(authType), engine);
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }
        checkHost(chain, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("tlsupgrade's verifier needs the connection to know the host name to check; "
                + "the provider called checkServerTrusted without a socket or engine");
    }

    /** Checks {@code chain} for a connection to {@code host}, for backends that run TLS over streams. */
    public void verify(X509Certificate[] chain, String authType, HostName host) throws CertificateException {
        requireChain(chain);
        if (!trustAll) {
            try {
                ((X509TrustManager) platform).checkServerTrusted(chain, jdkAuthType(authType));
            } catch (CertificateException e) {
                throw explain(chain, e);
            }
        }
        if (checkHostname) {
            checkHost(chain, host);
        }
    }

    /**
     * The provider's name for the key exchange in the JDK's spelling: BoringSSL calls every TLS 1.3
     * handshake "GENERIC", which the JDK validator refuses; its own name for that is "UNKNOWN".
     */
    static String jdkAuthType(String authType) {
        return authType != null && JDK_AUTH_TYPES.contains(authType) ? authType : "UNKNOWN";
    }

    private void checkHost(X509Certificate[] chain, String peerHost) throws CertificateException {
        if (!checkHostname) {
            return;
        }
        if (peerHost == null || peerHost.isEmpty()) {
            throw new CertificateException("the provider gave no peer host name to verify the certificate against");
        }
        checkHost(chain, HostName.of(peerHost));
    }

    private static void checkHost(X509Certificate[] chain, HostName host) throws CertificateProblem {
        if (!HostnameMatcher.matches(host, chain[0])) {
            List<String> names = HostnameMatcher.namesOf(chain[0]);
            throw new CertificateProblem(FailureKind.HOSTNAME_MISMATCH, 0, subject(chain[0]),
                    "the server's certificate '" + subject(chain[0]) + "' is for " + (names.isEmpty() ? "no host name"
                            : String.join(", ", names)) + ", not for '" + host.name() + "'.",
                    "connect with a name the certificate holds, or set serverName(...) to one of them; if the "
                            + "certificate is wrong, have the server's certificate reissued for '" + host.name() + "'.",
                    null);
        }
    }

    private static void requireChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
    }

    private CertificateProblem explain(X509Certificate[] chain, CertificateException e) {
        X509Certificate[] anchors = platform.getAcceptedIssuers();
        int anchoredAt = anchoredAt(chain, anchors);
        if (anchoredAt < 0) {
            X509Certificate last = chain[chain.length - 1];
            String trustHint = "if you trust this server's CA, pass its certificate with trustedCertificates(Path pemFile)"
                    + " (this changes nothing JVM-wide); insecureTrustAllCertificates() only for tests.";
            if (selfSigned(last)) {
                String what = chain.length == 1
                        ? "the server's certificate '" + subject(last) + "' is self-signed and not trusted."
                        : "the chain ends in the self-signed root '" + subject(last) + "' (certificate "
                                + (chain.length - 1) + "), which is not a trusted CA.";
                return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, chain.length - 1, subject(last), what,
                        trustHint, e);
            }
            return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, chain.length - 1, subject(last),
                    "certificate " + (chain.length - 1) + " '" + subject(last) + "' was issued by '"
                            + last.getIssuerX500Principal().getName() + "', which is not a trusted CA"
                            + " (and the server did not send it).",
                    trustHint + " If that CA is an intermediate, the server should send it in its chain.", e);
        }
        Date now = new Date();
        for (int i = 0; i <= Math.min(anchoredAt, chain.length - 1); i++) {
            try {
                chain[i].checkValidity(now);
            } catch (CertificateExpiredException expired) {
                return new CertificateProblem(FailureKind.CERTIFICATE_EXPIRED, i, subject(chain[i]),
                        "certificate " + i + " '" + subject(chain[i]) + "' expired on " + chain[i].getNotAfter().toInstant()
                                + ".",
                        "renew the server's certificate" + (i == 0 ? "" : " chain") + "; if it was renewed, check that the "
                                + "server serves the new one and that this machine's clock is right.", e);
            } catch (CertificateNotYetValidException notYet) {
                return new CertificateProblem(FailureKind.CERTIFICATE_NOT_YET_VALID, i, subject(chain[i]),
                        "certificate " + i + " '" + subject(chain[i]) + "' is not valid before "
                                + chain[i].getNotBefore().toInstant() + ".",
                        "check the clocks of this machine and of the server (the certificate was issued for a later date).",
                        e);
            }
        }
        String reason = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException cpve && cpve.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                int index = cpve.getIndex() >= 0 ? cpve.getIndex() : 0;
                X509Certificate bad = index < chain.length ? chain[index] : chain[0];
                return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, index, subject(bad),
                        "certificate " + index + " '" + subject(bad) + "' uses an algorithm this JVM refuses ("
                                + bad.getSigAlgName() + ", " + bad.getPublicKey().getAlgorithm() + " key): " + cpve.getMessage(),
                        "have the certificate reissued with a current algorithm (SHA-256 or better, RSA 2048+ or EC).", e);
            }
        }
        return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, -1, null,
                "the certificate chain did not validate: " + reason,
                "check the chain the server sends (openssl s_client -showcerts) against the trusted CAs.", e);
    }

    /** Index of the first chain certificate that is an anchor or is signed by one, or -1. */
    private static int anchoredAt(X509Certificate[] chain, X509Certificate[] anchors) {
        for (int i = 0; i < chain.length; i++) {
            for (X509Certificate a : anchors) {
                if (a.equals(chain[i])) {
                    return i;
                }
                if (a.getSubjectX500Principal().equals(chain[i].getIssuerX500Principal()) && signedBy(chain[i], a)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean selfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("tlsupgrade is a client; it does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("tlsupgrade is a client; it does not check client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("tlsupgrade is a client; it does not check client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trustAll ? new X509Certificate[0] : platform.getAcceptedIssuers();
    }
}
