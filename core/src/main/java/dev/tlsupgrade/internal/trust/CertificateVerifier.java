package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.IdentityCheck;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.internal.Text;
import dev.tlsupgrade.internal.policy.HostName;
import java.net.Socket;
import java.nio.file.Path;
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
import java.util.stream.Collectors;
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
 * validator, asked without the connection so that no provider's session adds checks of its own,
 * then {@link CertificatePolicy}, name constraints, and the RFC 6125 host name check of
 * {@link HostnameMatcher} against the name the connection was opened for. A failure is a
 * {@link CertificateProblem} that says which certificate failed which check.
 *
 * <p>The name checked is the provider session's peer host, which backends set to the verification
 * name; stream-based backends call {@link #verify(X509Certificate[], String, HostName)} directly.
 */
public final class CertificateVerifier extends X509ExtendedTrustManager {
    /** Key exchange names the JDK's validator knows; TLS 1.3 has none and is called UNKNOWN there. */
    private static final Set<String> JDK_AUTH_TYPES = Set.of("RSA", "RSA_EXPORT", "DHE_RSA", "DHE_DSS", "DH_RSA", "DH_DSS",
            "ECDHE_RSA", "ECDHE_ECDSA", "ECDH_RSA", "ECDH_ECDSA", "UNKNOWN");

    /** Decides whether the chain leads to a trusted CA; replaced whole when the anchors' file changes. */
    private volatile X509TrustManager platform;
    /**
     * The anchors of {@link #platform} when core made it (they never change): asked of the JDK on
     * every handshake they were copied out of its set each time (profiled). A trust manager of the
     * user's is asked each time, since it may change them. Null for the user's.
     */
    private volatile Anchors ownAnchors;

    private record Anchors(X509TrustManager of, X509Certificate[] certificates) {
    }
    private final boolean withPlatform;
    private final boolean trustAll;
    private final boolean checkHostname;
    private final boolean commonNameFallback;
    private final boolean legacyCertificates;
    private final List<byte[]> pins;
    private final KnownHosts knownHosts;
    private final HostPins hostPins;
    private final IdentityCheck identity;
    private final Revocation revocation;

    /**
     * @param anchors the CA certificates to trust, or empty for the platform trust store
     * @param withPlatform trust the platform trust store's CAs as well as {@code anchors}
     * @param trustAll accept any chain (insecure, explicitly requested)
     * @param checkHostname check the leaf against the host name
     */
    public CertificateVerifier(Optional<List<X509Certificate>> anchors, boolean withPlatform, boolean trustAll,
            boolean checkHostname) {
        this(anchors, withPlatform, trustAll, checkHostname, false, false, List.of(), null);
    }

    /**
     * @param commonNameFallback consult the subject CN of a leaf without a subjectAltName extension
     * @param legacyCertificates admit SHA-1 signatures and 1024-bit RSA keys ({@link CertificatePolicy})
     * @param pins SHA-256 fingerprints (of a certificate or its SubjectPublicKeyInfo) that identify the
     *     server by its leaf alone, instead of the chain and the name
     * @param knownHosts the trust-on-first-use store, or null
     */
    public CertificateVerifier(Optional<List<X509Certificate>> anchors, boolean withPlatform, boolean trustAll,
            boolean checkHostname, boolean commonNameFallback, boolean legacyCertificates, List<byte[]> pins,
            Path knownHosts) {
        this(trustAll ? null : platformTrustManager(anchors, withPlatform), true, withPlatform, trustAll, checkHostname,
                commonNameFallback, legacyCertificates, pins, knownHosts, HostPins.of(java.util.Map.of()), null,
                dev.tlsupgrade.RevocationMode.OFF);
    }

    private CertificateVerifier(X509TrustManager platform, boolean madeByCore, boolean withPlatform, boolean trustAll,
            boolean checkHostname, boolean commonNameFallback, boolean legacyCertificates, List<byte[]> pins,
            Path knownHosts, HostPins hostPins, IdentityCheck identity, dev.tlsupgrade.RevocationMode revocation) {
        this.platform = platform;
        this.ownAnchors = madeByCore && platform != null ? new Anchors(platform, platform.getAcceptedIssuers()) : null;
        this.withPlatform = withPlatform;
        this.trustAll = trustAll;
        this.checkHostname = checkHostname;
        this.commonNameFallback = commonNameFallback;
        this.legacyCertificates = legacyCertificates;
        this.pins = List.copyOf(pins);
        this.knownHosts = knownHosts == null ? null : new KnownHosts(knownHosts);
        this.hostPins = hostPins;
        this.identity = identity;
        this.revocation = new Revocation(revocation);
    }

    /** The verifier of everything {@code config} says about trust. */
    public static CertificateVerifier of(TlsClientConfig config) {
        // Asked without the connection either way, so a plain X509TrustManager of the user's serves as it is.
        X509TrustManager decides = config.trustsAllCertificates() ? null : config.trustManager()
                .orElseGet(() -> platformTrustManager(config.trustedCertificates(), config.trustsPlatformCertificates()));
        return new CertificateVerifier(decides, config.trustManager().isEmpty(), config.trustsPlatformCertificates(),
                config.trustsAllCertificates(),
                !config.skipsHostnameVerification(), config.commonNameFallbackAllowed(), config.legacyCertificatesAllowed(),
                config.pinnedCertificates().stream().map(Fingerprints::parse).toList(), config.knownHosts().orElse(null),
                HostPins.of(config.hostPins()), config.serverIdentity().orElse(null), config.revocation());
    }

    /**
     * Checks whether the server's certificate of a finished full handshake is revoked, as the
     * config's revocation mode says: {@code chain} as the server sent it, {@code stapled} the OCSP
     * response it stapled; fetching ends by {@code deadlineNanos}.
     */
    public void checkRevocation(X509Certificate[] chain, Optional<byte[]> stapled, long deadlineNanos)
            throws CertificateProblem {
        if (trustAll || chain.length == 0) {
            return;
        }
        try {
            revocation.check(likelyPath(chain, anchors()), stapled, deadlineNanos);
        } catch (CertificateProblem p) {
            p.presented(chain);
            throw p;
        }
    }

    /** The anchors the trust manager deciding now trusts. */
    private X509Certificate[] anchors() {
        X509TrustManager deciding = platform;
        Anchors own = ownAnchors;
        return own != null && own.of() == deciding ? own.certificates() : deciding.getAcceptedIssuers();
    }

    /** Trusts {@code anchors} from now on (the file they came from changed); connections made before keep theirs. */
    public void replaceAnchors(List<X509Certificate> anchors) {
        X509TrustManager made = platformTrustManager(Optional.of(anchors), withPlatform);
        this.ownAnchors = new Anchors(made, made.getAcceptedIssuers());
        this.platform = made;
    }

    /** The platform trust store's roots, read once: the ones their vendor curates, exempt from the root profile. */
    private static final class PlatformRoots {
        static final java.util.Set<X509Certificate> ALL = java.util.Set.copyOf(
                java.util.Arrays.asList(platformTrustManager(Optional.empty(), false).getAcceptedIssuers()));
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
        SSLSession session = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        check(chain, authType, session == null ? null : session.getPeerHost(), session == null ? -1 : session.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, authType, engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("tlsupgrade's verifier needs the connection to know the host name to check; "
                + "the provider called checkServerTrusted without a socket or engine");
    }

    /** Checks {@code chain} for a connection to {@code host}:{@code port}, for backends that run TLS over streams. */
    public void verify(X509Certificate[] chain, String authType, HostName host, int port) throws CertificateException {
        check(chain, authType, host == null ? null : host.name(), port);
    }

    private void check(X509Certificate[] chain, String authType, String peerHost, int port) throws CertificateException {
        try {
            decide(chain, authType, peerHost, port);
        } catch (CertificateProblem p) {
            p.presented(chain);
            throw p;
        }
    }

    private void decide(X509Certificate[] chain, String authType, String peerHost, int port) throws CertificateException {
        requireChain(chain);
        if (!trustAll && (!pins.isEmpty() || knownHosts != null)) {
            // The leaf is the server's identity: issuer, dates, names and algorithms are not the question.
            if (pinned(chain[0])) {
                return;
            }
            if (knownHosts == null) {
                throw notPinned(chain[0]);
            }
            if (peerHost == null || peerHost.isEmpty() || port < 0) {
                throw new CertificateException("the provider gave no peer host and port to look up in the known hosts");
            }
            String host = HostName.of(peerHost).name();
            if (hostPins.covers(host)) {
                // A host given pins is held to them, never learned: nothing validates the chain here, so only the
                // leaf's own key counts.
                hostPins.check(host, new X509Certificate[] {chain[0]});
                return;
            }
            knownHosts.check(host, port, chain[0]);
            return;
        }
        if (!trustAll) {
            X509Certificate[] anchors = anchors();
            CertificateException refusal = null;
            try {
                // Without the connection: given one, the JDK adds checks of its own built from the provider's session
                // on every call (its signature algorithms, its algorithm constraints), which differ by backend and made
                // the decision dearer than Conscrypt's whole trust manager. The algorithm rules are CertificatePolicy's.
                platform.checkServerTrusted(chain, jdkAuthType(authType));
            } catch (CertificateException e) {
                refusal = e;
            } catch (RuntimeException e) {
                if (unparsable(e)) {
                    // A certificate whose bytes do not parse (tcnative hands them over unparsed): the provider's own
                    // failure, which the explainer judges from the wire as every backend's parse failure.
                    throw e;
                }
                // The JDK's validator throws for what it cannot judge (an otherName name constraint, for one): that is
                // a refusal, never an error that escapes the provider's handshake as something else.
                throw new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, -1, null, "the platform's path "
                        + "validation could not judge the chain (" + Text.escape(String.valueOf(e.getMessage()))
                        + "), so it is refused.", "check the chain the server sends (openssl s_client -showcerts): a CA "
                        + "in it carries something this JVM's validator does not handle.", e);
            }
            X509Certificate[] path = acceptedPath(chain, anchors, authType, refusal);
            if (path == null) {
                throw explain(chain, refusal);
            }
            if (!hostPins.isEmpty()) {
                if (peerHost == null || peerHost.isEmpty()) {
                    throw new CertificateException("the provider gave no peer host name to look up its pins");
                }
                hostPins.check(HostName.of(peerHost).name(), path);
            }
            if (identity != null) {
                checkIdentity(path, peerHost);
                return;
            }
        }
        checkHost(chain, peerHost);
    }

    private void checkIdentity(X509Certificate[] path, String peerHost) throws CertificateProblem {
        String name = peerHost == null ? "" : peerHost;
        java.util.Optional<String> mismatch;
        try {
            mismatch = identity.mismatch(name, List.of(path));
        } catch (RuntimeException e) {
            mismatch = java.util.Optional.of("the check threw " + e);
        }
        if (mismatch == null) {
            mismatch = java.util.Optional.of("the check returned null");
        }
        if (mismatch.isPresent()) {
            throw new CertificateProblem(FailureKind.HOSTNAME_MISMATCH, 0, subject(path[0]), "the server's certificate '"
                    + subject(path[0]) + "' is not the identity this connection wants (serverIdentity): "
                    + Text.escape(mismatch.get()) + ".", "check that this is the right server, or the rule given to "
                    + "serverIdentity(...).", null);
        }
    }

    /**
     * The path the decision stands on, leaf first, ending with its trust anchor. When the platform
     * accepted the chain: the path it validated for a chain sent in order, if core's rules accept it.
     * Else, or when it refused ({@code refusal}), the first path through the certificates sent
     * ({@link CertificationPaths}) that the platform validates (or {@link NameConstraintsAppeal}
     * admits) and core's rules accept. When the rules refuse every path the platform validated, the
     * refusal of the first one stands; null when the platform refused and validates no other path.
     */
    private X509Certificate[] acceptedPath(X509Certificate[] chain, X509Certificate[] anchors, String authType,
            CertificateException refusal) throws CertificateProblem {
        CertificateProblem first = null;
        X509Certificate[] ordered = CertificationPaths.ordered(chain, anchors);
        if (refusal != null) {
            X509Certificate[] appealed = NameConstraintsAppeal.hear(refusal, anchors, PlatformRoots.ALL::contains);
            if (appealed != null) {
                judge(appealed, anchors, authType);
                return appealed;
            }
        } else if (ordered != null) {
            try {
                judge(ordered, anchors, authType);
                return ordered;
            } catch (CertificateProblem p) {
                first = p;
            }
        }
        for (X509Certificate[] candidate : CertificationPaths.all(chain, anchors)) {
            if (ordered != null && java.util.Arrays.equals(candidate, ordered) || !platformValidates(candidate, anchors,
                    authType)) {
                continue;
            }
            try {
                judge(candidate, anchors, authType);
                return candidate;
            } catch (CertificateProblem p) {
                if (first == null) {
                    first = p;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        if (refusal != null) {
            return null;
        }
        throw new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, -1, null, "the platform accepted the chain, but "
                + "no path through the " + chain.length + " certificate(s) the server sent that it validates could be "
                + "found (at most " + CertificationPaths.MAX_LENGTH + " certificates long, "
                + CertificationPaths.MAX_PATHS + " paths), so core's rules could not judge it.",
                "check the chain the server sends (openssl s_client -showcerts): it should be the server's certificate "
                        + "and its CAs, in order.", null);
    }

    /** Whether {@code e} comes from a certificate that cannot be parsed. */
    private static boolean unparsable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the platform validates {@code path} sent as it is (its anchor left out unless it is the leaf). */
    private boolean platformValidates(X509Certificate[] path, X509Certificate[] anchors, String authType) {
        X509Certificate[] sent = path.length == 1 ? path : java.util.Arrays.copyOf(path, path.length - 1);
        try {
            platform.checkServerTrusted(sent, jdkAuthType(authType));
            return true;
        } catch (CertificateException e) {
            return NameConstraintsAppeal.hear(e, anchors, PlatformRoots.ALL::contains) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Core's rules for one path: the certificate policy, the RFC 5280 profile and name constraints. */
    private void judge(X509Certificate[] path, X509Certificate[] anchors, String authType) throws CertificateProblem {
        CertificatePolicy.check(path, anchors, authType, legacyCertificates);
        CertificateProfile.check(path, anchors, legacyCertificates,
                withPlatform && PlatformRoots.ALL.contains(path[path.length - 1]));
        String leafCn = null;
        if (commonNameFallback && Extensions.value(path[0], CertificateNames.SAN_OID) == null) {
            leafCn = CertificateNames.commonName(path[0]);
        }
        NameConstraintCheck.check(path, path.length - 1, leafCn);
    }

    /** The path revocation is checked along: the one a chain in order makes, else the shortest, else the chain. */
    private static X509Certificate[] likelyPath(X509Certificate[] chain, X509Certificate[] anchors) {
        X509Certificate[] ordered = CertificationPaths.ordered(chain, anchors);
        if (ordered != null) {
            return ordered;
        }
        List<X509Certificate[]> all = CertificationPaths.all(chain, anchors);
        return all.isEmpty() ? chain : all.get(0);
    }

    private boolean pinned(X509Certificate leaf) {
        byte[] cert = Fingerprints.ofCertificate(leaf);
        byte[] key = Fingerprints.ofPublicKey(leaf);
        for (byte[] pin : pins) {
            if (java.security.MessageDigest.isEqual(pin, cert) || java.security.MessageDigest.isEqual(pin, key)) {
                return true;
            }
        }
        return false;
    }

    private CertificateProblem notPinned(X509Certificate leaf) {
        String key = Fingerprints.base64(Fingerprints.ofPublicKey(leaf));
        String cert = Fingerprints.colonHex(Fingerprints.ofCertificate(leaf));
        return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, 0, subject(leaf), "the server's certificate '"
                + subject(leaf) + "' (key " + key + ", certificate SHA-256 " + cert + ") matches none of the "
                + pins.size() + " pinned fingerprint(s).",
                "if this is the server's new certificate, pin it: pinnedCertificates(\"" + key + "\"); if not, someone "
                        + "may be impersonating the server.", null);
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
        HostName host = HostName.of(peerHost);
        boolean matches;
        try {
            matches = HostnameMatcher.matches(host, chain[0], commonNameFallback);
        } catch (CertificateNames.MalformedNameException e) {
            throw new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, 0, subject(chain[0]), "the server's "
                    + "certificate '" + subject(chain[0]) + "' has a malformed subjectAltName (" + Text.escape(e.getMessage())
                    + "); its names cannot be read, so it is refused.", "have the server's certificate reissued.", e);
        }
        if (!matches) {
            List<String> names = HostnameMatcher.namesOf(chain[0]).stream().map(Text::escape).collect(Collectors.toList());
            boolean cnOnly = !names.isEmpty() && names.stream().allMatch(n -> n.startsWith("CN="));
            throw new CertificateProblem(FailureKind.HOSTNAME_MISMATCH, 0, subject(chain[0]),
                    "the server's certificate '" + subject(chain[0]) + "' is for " + (names.isEmpty() ? "no host name"
                            : String.join(", ", names)) + ", not for '" + host.name() + "'"
                            + (cnOnly ? " (it has no subjectAltName, and the CN is not consulted)" : "") + ".",
                    cnOnly ? "have the certificate reissued with a subjectAltName; for an old device that cannot, "
                            + "allowCommonNameFallback() consults the CN (weak: only for that device)."
                            : "connect with a name the certificate holds, or set serverName(...) to one of them; if the "
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
        X509Certificate[] anchors = anchors();
        CertificateProblem broken = brokenSignature(chain, anchors, e);
        if (broken != null) {
            return broken;
        }
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
                            + Text.escape(last.getIssuerX500Principal().getName()) + "', which is not a trusted CA"
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
        String reason = Text.escape(e.getMessage());
        if (String.valueOf(e.getMessage()).contains("unrecognized critical extension")) {
            for (int i = 0; i < chain.length; i++) {
                String oid = CertificateProfile.unknownCritical(chain[i]);
                if (oid != null) {
                    return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, i, subject(chain[i]), "certificate " + i
                            + " '" + subject(chain[i]) + "' carries the critical extension " + oid + (oid.equals("2.5.29.35")
                            ? " (authority key identifier, which RFC 5280 forbids marking critical)" : oid.equals(
                                    "2.5.29.14") ? " (subject key identifier, which RFC 5280 forbids marking critical)" : "")
                            + ", which path validation does not understand, so it is refused.",
                            "have it reissued without that extension marked critical.", e);
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException cpve && cpve.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
                int index = cpve.getIndex() >= 0 ? cpve.getIndex() : 0;
                X509Certificate bad = index < chain.length ? chain[index] : chain[0];
                return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, index, subject(bad),
                        "certificate " + index + " '" + subject(bad) + "' uses an algorithm this JVM refuses ("
                                + bad.getSigAlgName() + ", " + bad.getPublicKey().getAlgorithm() + " key): " + Text.escape(cpve.getMessage()),
                        "have the certificate reissued with a current algorithm (SHA-256 or better, RSA 2048+ or EC).", e);
            }
        }
        return new CertificateProblem(FailureKind.CERTIFICATE_UNTRUSTED, -1, null,
                "the certificate chain did not validate: " + reason,
                "check the chain the server sends (openssl s_client -showcerts) against the trusted CAs.", e);
    }

    /**
     * The first certificate whose signature does not verify with the key of the certificate that
     * issued it, found by name or by key identifier (the next one in the chain, or an anchor): its
     * bytes were changed after it was signed. Null when every issuer found verifies its certificate.
     */
    private static CertificateProblem brokenSignature(X509Certificate[] chain, X509Certificate[] anchors,
            CertificateException e) {
        for (int i = 0; i < chain.length; i++) {
            X509Certificate c = chain[i];
            List<X509Certificate> candidates = new java.util.ArrayList<>();
            if (i + 1 < chain.length) {
                candidates.add(chain[i + 1]);
            }
            candidates.addAll(List.of(anchors));
            byte[] authorityKeyId = KeyIdentifiers.authority(c);
            X509Certificate issuer = null;
            for (X509Certificate candidate : candidates) {
                boolean byName = candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal());
                boolean byKey = authorityKeyId != null
                        && java.util.Arrays.equals(authorityKeyId, KeyIdentifiers.subject(candidate));
                if (byName || byKey) {
                    if (signedBy(c, candidate)) {
                        issuer = null;
                        break;
                    }
                    if (issuer == null) {
                        issuer = candidate;
                    }
                }
            }
            if (issuer != null) {
                String which = i + 1 < chain.length && chain[i + 1] == issuer
                        ? "certificate " + (i + 1) + " '" + subject(issuer) + "'" : "the trusted CA '" + subject(issuer) + "'";
                return signatureProblem(i, c, which, issuer, authorityKeyId, e);
            }
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && !selfSigned(c)
                    && (authorityKeyId == null || java.util.Arrays.equals(authorityKeyId, KeyIdentifiers.subject(c)))) {
                return signatureProblem(i, c, "its own key (it is self-issued)", c, authorityKeyId, e);
            }
        }
        return null;
    }

    private static CertificateProblem signatureProblem(int i, X509Certificate c, String which, X509Certificate issuer,
            byte[] authorityKeyId, CertificateException e) {
        boolean sameKey = authorityKeyId == null || java.util.Arrays.equals(authorityKeyId, KeyIdentifiers.subject(issuer));
        String what = "certificate " + i + " '" + subject(c) + "' does not verify: its " + c.getSigAlgName()
                + " signature does not match the key of " + which + ", which issued it"
                + (sameKey ? ": its bytes were changed after it was signed." : " by name, but its key identifier points "
                        + "to another key: the CA was re-keyed, or the certificate was changed after it was signed.");
        String hint = sameKey ? "this is not a trust setting: a middlebox, a faulty link or an attacker altered the "
                + "certificate on its way (or the server's certificate file is corrupt). Retry, and compare what the "
                + "server sends (openssl s_client -showcerts) with its certificate file."
                : "trust the CA key that issued it, or have the server send the certificate issued by the current key.";
        return new CertificateProblem(FailureKind.ALTERED_IN_TRANSIT, i, subject(c), what, hint, e);
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

    static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificate's subject, escaped for messages (it is text from the peer). */
    static String subject(X509Certificate c) {
        return Text.escape(c.getSubjectX500Principal().getName());
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
        return trustAll ? new X509Certificate[0] : anchors().clone();
    }
}
