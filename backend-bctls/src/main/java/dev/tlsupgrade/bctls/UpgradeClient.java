package dev.tlsupgrade.bctls;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.policy.DhGroupPolicy;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.EngineRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Bouncy Castle's low-level TLS client for one connection, told everything explicitly: the versions
 * and suites of the config, SNI exactly as core decided, ALPN, the client certificate, and core's
 * verifier for the server's chain and host name (the same check every backend makes).
 */
final class UpgradeClient extends DefaultTlsClient {
    private final JcaTlsCrypto crypto;
    private final TlsClientConfig config;
    private final ConnectorSettings settings;
    private final EngineRequest request;
    private final int[] suites;
    private final Offer offer;
    private List<X509Certificate> peerChain = List.of();
    private List<X509Certificate> localChain = List.of();

    /**
     * @param suites the config's suites the crypto supports, in the config's order
     * @param offer the connector's signature schemes, shared by its connections
     */
    UpgradeClient(JcaTlsCrypto crypto, ConnectorSettings settings, EngineRequest request, int[] suites, Offer offer) {
        super(crypto);
        this.crypto = crypto;
        this.settings = settings;
        this.config = settings.config();
        this.request = request;
        this.suites = suites;
        this.offer = offer;
    }

    /**
     * The signature schemes a connector's clients offer: they depend only on its config and crypto,
     * so the first handshake works them out and the others get a copy.
     */
    static final class Offer {
        private volatile Vector<SignatureAndHashAlgorithm> signatureSchemes;
    }

    List<X509Certificate> peerChain() {
        return peerChain;
    }

    List<X509Certificate> localChain() {
        return localChain;
    }

    /** What the finished handshake negotiated. */
    SecurityParameters negotiated() {
        return context.getSecurityParametersConnection();
    }

    /** RFC 7507: the ClientHello carries TLS_FALLBACK_SCSV when the config marks a version fallback. */
    @Override
    public boolean isFallback() {
        return config.fallbackSignal();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        List<ProtocolVersion> versions = new ArrayList<>();
        for (TlsVersion v : config.protocols()) {
            versions.add(ProtocolVersion.get((v.wireCode() >> 8) & 0xff, v.wireCode() & 0xff));
        }
        // Bouncy Castle wants the newest first.
        java.util.Collections.reverse(versions);
        return versions.toArray(new ProtocolVersion[0]);
    }

    /**
     * Bouncy Castle's signature schemes less the SHA-1 ones, which core's policy offers only when a
     * legacy version is (TLS 1.0/1.1 servers sign with SHA-1).
     */
    @Override
    protected Vector getSupportedSignatureAlgorithms() {
        Vector<SignatureAndHashAlgorithm> schemes = offer.signatureSchemes;
        if (schemes == null) {
            boolean legacy = config.protocols().stream().anyMatch(TlsVersion::isLegacy);
            schemes = new Vector<>();
            for (Object o : super.getSupportedSignatureAlgorithms()) {
                SignatureAndHashAlgorithm s = (SignatureAndHashAlgorithm) o;
                if (legacy || s.getHash() != org.bouncycastle.tls.HashAlgorithm.sha1) {
                    schemes.add(s);
                }
            }
            offer.signatureSchemes = schemes;
        }
        return new Vector<>(schemes);
    }

    /** Servers without RFC 5746 are refused unless the config admits them (core's rule, the same on every backend). */
    @Override
    public void notifySecureRenegotiation(boolean secure) throws IOException {
        if (!secure && !config.serversWithoutSecureRenegotiationAllowed()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the server does not support secure renegotiation");
        }
    }

    /** Core's DH group size rule ({@link DhGroupPolicy}) on a published or safe-prime group ({@link SafePrimeGroups}). */
    @Override
    public TlsDHGroupVerifier getDHGroupVerifier() {
        return new SafePrimeGroups(DhGroupPolicy.minimumBits(config));
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return suites;
    }

    @Override
    protected Vector getSNIServerNames() {
        if (request.sniHostName().isEmpty()) {
            return null;
        }
        Vector<ServerName> names = new Vector<>();
        names.add(new ServerName(NameType.host_name, request.sniHostName().get().getBytes(StandardCharsets.US_ASCII)));
        return names;
    }

    @Override
    protected Vector getProtocolNames() {
        if (config.alpn().isEmpty()) {
            return null;
        }
        Vector<ProtocolName> names = new Vector<>();
        for (String p : config.alpn()) {
            names.add(ProtocolName.asUtf8Encoding(p));
        }
        return names;
    }

    /**
     * Bouncy Castle's extensions plus RFC 7685 padding that keeps the ClientHello out of 256-511 bytes,
     * which some F5 front ends swallow (Bouncy Castle's own hello is 260-340 bytes). The size counted
     * here leaves out what Bouncy Castle adds later (key shares, supported_versions), so it is a lower
     * bound: padding it to 512 makes the hello that is sent at least that long.
     */
    @Override
    public java.util.Hashtable getClientExtensions() throws IOException {
        @SuppressWarnings("unchecked")
        java.util.Hashtable<Integer, byte[]> extensions = super.getClientExtensions();
        int size = 5 + 4 + 2 + 32 + 1 + 2 + 2 * getCipherSuites().length + 2 + 2;
        for (byte[] data : extensions.values()) {
            size += 4 + data.length;
        }
        if (size < HELLO_PADDED_TO) {
            org.bouncycastle.tls.TlsExtensionsUtils.addPaddingExtension(extensions, Math.max(0, HELLO_PADDED_TO - size - 4));
        }
        return extensions;
    }

    /** RFC 7685's target: no ClientHello record under 512 bytes, so none in the 256-511 range. */
    private static final int HELLO_PADDED_TO = 512;

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                X509Certificate[] chain = toX509(serverCertificate.getCertificate());
                try {
                    settings.verifier().verify(chain, authType(), request.peerHostName(), request.port());
                } catch (CertificateException e) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
                }
                peerChain = List.of(chain);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                return clientCredentials(certificateRequest);
            }
        };
    }

    private String authType() {
        switch (context.getSecurityParametersHandshake().getKeyExchangeAlgorithm()) {
            case KeyExchangeAlgorithm.RSA:
                return "RSA";
            case KeyExchangeAlgorithm.DHE_RSA:
                return "DHE_RSA";
            case KeyExchangeAlgorithm.DHE_DSS:
                return "DHE_DSS";
            case KeyExchangeAlgorithm.ECDHE_RSA:
                return "ECDHE_RSA";
            case KeyExchangeAlgorithm.ECDHE_ECDSA:
                return "ECDHE_ECDSA";
            default:
                return "UNKNOWN";
        }
    }

    private TlsCredentials clientCredentials(CertificateRequest request) throws IOException {
        X509ExtendedKeyManager keys = settings.keyManager().orElse(null);
        if (keys == null) {
            return null;
        }
        String alias = keys.chooseClientAlias(new String[] {"RSA", "EC", "RSASSA-PSS"}, null, null);
        if (alias == null) {
            return null;
        }
        PrivateKey key = keys.getPrivateKey(alias);
        X509Certificate[] chain = keys.getCertificateChain(alias);
        boolean tls13 = TlsUtils.isTLSv13(context);
        SignatureAndHashAlgorithm scheme = null;
        if (TlsUtils.isSignatureAlgorithmsExtensionAllowed(context.getServerVersion())) {
            scheme = chooseScheme(request.getSupportedSignatureAlgorithms(), key, tls13);
            if (scheme == null) {
                return null;
            }
        }
        TlsCertificate[] certs = new TlsCertificate[chain.length];
        CertificateEntry[] entries = new CertificateEntry[chain.length];
        for (int i = 0; i < chain.length; i++) {
            try {
                certs[i] = crypto.createCertificate(chain[i].getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new TlsFatalAlert(AlertDescription.internal_error, e);
            }
            entries[i] = new CertificateEntry(certs[i], null);
        }
        Certificate bcChain = tls13 ? new Certificate(request.getCertificateRequestContext(), entries) : new Certificate(certs);
        localChain = List.of(chain);
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, bcChain, scheme);
    }

    private static SignatureAndHashAlgorithm chooseScheme(Vector<?> offered, PrivateKey key, boolean tls13) {
        if (offered == null) {
            return null;
        }
        boolean rsa = key.getAlgorithm().startsWith("RSA");
        for (Object o : offered) {
            SignatureAndHashAlgorithm s = (SignatureAndHashAlgorithm) o;
            short sig = s.getSignature();
            boolean pss = sig == SignatureAlgorithm.rsa_pss_rsae_sha256 || sig == SignatureAlgorithm.rsa_pss_rsae_sha384
                    || sig == SignatureAlgorithm.rsa_pss_rsae_sha512;
            if (rsa && (pss || !tls13 && sig == SignatureAlgorithm.rsa)) {
                return s;
            }
            if (!rsa && sig == SignatureAlgorithm.ecdsa) {
                return s;
            }
        }
        return null;
    }

    private static X509Certificate[] toX509(Certificate certificate) throws IOException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate[] out = new X509Certificate[certificate.getLength()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (X509Certificate) cf.generateCertificate(
                        new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded()));
            }
            return out;
        } catch (CertificateException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server's certificate cannot be parsed", e);
        }
    }
}
