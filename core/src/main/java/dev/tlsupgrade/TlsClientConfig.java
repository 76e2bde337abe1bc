package dev.tlsupgrade;

import dev.tlsupgrade.internal.material.KeyStores;
import dev.tlsupgrade.internal.material.Pem;
import dev.tlsupgrade.internal.policy.HostName;
import dev.tlsupgrade.internal.policy.SuitePolicy;
import dev.tlsupgrade.internal.trust.Fingerprints;
import dev.tlsupgrade.internal.trust.HostPins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * How to upgrade: versions, cipher suites, trust, client certificate, names, ALPN, timeout.
 *
 * <p>Immutable and shareable; made with {@link #builder()}. The defaults are the safe ones: TLS 1.2
 * and 1.3, the backend's default cipher suites, the platform trust store, host name verification
 * on, SNI sent for host names, a 30 second handshake timeout.
 *
 * <pre>{@code
 * TlsClientConfig config = TlsClientConfig.builder()
 *         .trustedCertificates(Path.of("private-ca.pem"))
 *         .alpn("h2", "http/1.1")
 *         .build();
 * }</pre>
 */
public final class TlsClientConfig {
    /** The handshake timeout used when none is set. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final Set<TlsVersion> protocols;
    private final List<String> protocolNames;
    private final boolean legacyAllowed;
    private final List<String> cipherSuites;
    private final List<X509Certificate> trustedCertificates;
    private final boolean platformTrustAdded;
    private final PrivateKey clientKey;
    private final X509KeyManager clientKeyManager;
    private final List<X509Certificate> clientChain;
    private final HostName serverName;
    private final List<String> alpn;
    private final List<String> namedGroups;
    private final Path keyLog;
    private final TlsHandshakeListener listener;
    private final Duration handshakeTimeout;
    private final boolean trustAll;
    private final boolean skipHostnameVerification;
    private final boolean commonNameFallback;
    private final boolean sessionResumption;
    private final boolean fallbackSignal;
    private final boolean legacyCertificates;
    private final boolean legacyDhGroups;
    private final boolean insecureRenegotiationServers;
    private final List<String> pins;
    private final Path knownHosts;
    private final X509TrustManager trustManager;
    private final IdentityCheck identityCheck;
    private final Map<String, List<String>> hostPins;
    private final MaterialFiles materialFiles;
    private final Duration reloadInterval;
    private final RevocationMode revocation;

    private TlsClientConfig(Builder b) {
        this.protocols = Collections.unmodifiableSet(EnumSet.copyOf(b.protocols));
        this.protocolNames = protocols.stream().map(TlsVersion::jsseName).collect(Collectors.toUnmodifiableList());
        this.legacyAllowed = b.legacyAllowed;
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.trustedCertificates = b.trustedCertificates == null ? null : List.copyOf(b.trustedCertificates);
        this.platformTrustAdded = b.platformTrustAdded;
        this.clientKey = b.clientKey;
        this.clientKeyManager = b.clientKeyManager;
        this.clientChain = b.clientChain == null ? List.of() : List.copyOf(b.clientChain);
        this.serverName = b.serverName;
        this.alpn = List.copyOf(b.alpn);
        this.namedGroups = List.copyOf(b.namedGroups);
        this.keyLog = b.keyLog;
        this.listener = b.listener;
        this.handshakeTimeout = b.handshakeTimeout;
        this.trustAll = b.trustAll;
        this.skipHostnameVerification = b.skipHostnameVerification;
        this.commonNameFallback = b.commonNameFallback;
        this.sessionResumption = b.sessionResumption;
        this.fallbackSignal = b.fallbackSignal;
        this.legacyCertificates = b.legacyCertificates;
        this.legacyDhGroups = b.legacyDhGroups;
        this.insecureRenegotiationServers = b.insecureRenegotiationServers;
        this.pins = List.copyOf(b.pins);
        this.knownHosts = b.knownHosts;
        this.trustManager = b.trustManager;
        this.identityCheck = b.identityCheck;
        Map<String, List<String>> hp = new LinkedHashMap<>();
        b.hostPins.forEach((k, v) -> hp.put(k, List.copyOf(v)));
        this.hostPins = Collections.unmodifiableMap(hp);
        this.materialFiles = b.materialFiles;
        this.reloadInterval = b.reloadInterval;
        this.revocation = b.revocation;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A config with every default. */
    public static TlsClientConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.protocols = EnumSet.copyOf(protocols);
        b.legacyAllowed = legacyAllowed;
        b.cipherSuites = new ArrayList<>(cipherSuites);
        b.trustedCertificates = trustedCertificates == null ? null : new ArrayList<>(trustedCertificates);
        b.platformTrustAdded = platformTrustAdded;
        b.clientKey = clientKey;
        b.clientKeyManager = clientKeyManager;
        b.clientChain = clientChain.isEmpty() ? null : new ArrayList<>(clientChain);
        b.serverName = serverName;
        b.alpn = new ArrayList<>(alpn);
        b.namedGroups = new ArrayList<>(namedGroups);
        b.keyLog = keyLog;
        b.listener = listener;
        b.handshakeTimeout = handshakeTimeout;
        b.trustAll = trustAll;
        b.skipHostnameVerification = skipHostnameVerification;
        b.commonNameFallback = commonNameFallback;
        b.sessionResumption = sessionResumption;
        b.fallbackSignal = fallbackSignal;
        b.legacyCertificates = legacyCertificates;
        b.legacyDhGroups = legacyDhGroups;
        b.insecureRenegotiationServers = insecureRenegotiationServers;
        b.pins = new ArrayList<>(pins);
        b.knownHosts = knownHosts;
        b.trustManager = trustManager;
        b.identityCheck = identityCheck;
        hostPins.forEach((k, v) -> b.hostPins.put(k, new ArrayList<>(v)));
        b.materialFiles = materialFiles;
        b.reloadInterval = reloadInterval;
        b.revocation = revocation;
        return b;
    }

    /** The versions offered, oldest first. */
    public Set<TlsVersion> protocols() {
        return protocols;
    }

    /** True when {@link Builder#allowLegacyProtocols()} was called. */
    public boolean legacyProtocolsAllowed() {
        return legacyAllowed;
    }

    /** The pinned cipher suites (IANA names) in preference order; empty means the backend's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** The private trust anchors; empty when only the platform trust store is used. */
    public Optional<List<X509Certificate>> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /**
     * True when the platform trust store's CAs are trusted: with no {@code trustedCertificates(...)},
     * or with them and {@link Builder#addPlatformTrustedCertificates()}.
     */
    public boolean trustsPlatformCertificates() {
        return trustedCertificates == null || platformTrustAdded;
    }

    /**
     * The client certificate chain, leaf first; empty when none is configured or when it comes from
     * a {@link Builder#clientKeyManager key manager}, which chooses per handshake.
     */
    public List<X509Certificate> clientCertificateChain() {
        return clientChain;
    }

    /** True when a client certificate is configured (by files, a key store or a key manager). */
    public boolean hasClientIdentity() {
        return clientKey != null || clientKeyManager != null;
    }

    /** The client private key (package-private: only core's key manager reads it). */
    Optional<PrivateKey> clientPrivateKey() {
        return Optional.ofNullable(clientKey);
    }

    /** The user's own key manager, if one was given. */
    Optional<X509KeyManager> clientKeyManager() {
        return Optional.ofNullable(clientKeyManager);
    }

    /** The name sent as SNI and checked against the certificate, when it differs from the connect host. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName).map(HostName::name);
    }

    HostName serverHostName() {
        return serverName;
    }

    /** The ALPN protocols offered, in preference order; empty means no ALPN extension. */
    public List<String> alpn() {
        return alpn;
    }

    /** The key exchange groups offered (standard names such as {@code x25519}); empty means the backend's defaults. */
    public List<String> namedGroups() {
        return namedGroups;
    }

    /** The NSS key log file every connection's secrets are appended to, if set (for Wireshark; secret). */
    public Optional<Path> keyLog() {
        return Optional.ofNullable(keyLog);
    }

    /** The listener told about every upgrade, if set. */
    public Optional<TlsHandshakeListener> listener() {
        return Optional.ofNullable(listener);
    }

    /** The bound on the whole handshake. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** True when {@link Builder#insecureTrustAllCertificates()} was called. */
    public boolean trustsAllCertificates() {
        return trustAll;
    }

    /** True when {@link Builder#insecureSkipHostnameVerification()} was called. */
    public boolean skipsHostnameVerification() {
        return skipHostnameVerification;
    }

    /** True when {@link Builder#allowCommonNameFallback()} was called. */
    public boolean commonNameFallbackAllowed() {
        return commonNameFallback;
    }

    /** True when {@link Builder#fallbackSignal()} marks this config's connections as version fallbacks. */
    public boolean fallbackSignal() {
        return fallbackSignal;
    }

    /** False when {@link Builder#sessionResumption(boolean)} turned resumption off. */
    public boolean sessionResumption() {
        return sessionResumption;
    }

    /** True when {@link Builder#allowLegacyCertificates()} was called. */
    public boolean legacyCertificatesAllowed() {
        return legacyCertificates;
    }

    /** True when {@link Builder#allowLegacyDhGroups()} was called. */
    public boolean legacyDhGroupsAllowed() {
        return legacyDhGroups;
    }

    /** True when {@link Builder#allowServersWithoutSecureRenegotiation()} was called. */
    public boolean serversWithoutSecureRenegotiationAllowed() {
        return insecureRenegotiationServers;
    }

    /** The pinned fingerprints, as given to {@link Builder#pinnedCertificates(String...)}; empty when none. */
    public List<String> pinnedCertificates() {
        return pins;
    }

    /** The trust-on-first-use file, if set with {@link Builder#knownHosts(Path)}. */
    public Optional<Path> knownHosts() {
        return Optional.ofNullable(knownHosts);
    }

    /** The configured versions as JSSE names, oldest first. */
    public List<String> protocolNames() {
        return protocolNames;
    }

    /** The user's trust manager that validates chains instead of core's anchors, if set. */
    public Optional<X509TrustManager> trustManager() {
        return Optional.ofNullable(trustManager);
    }

    /** The rule that replaces the host name check, if set. */
    public Optional<IdentityCheck> serverIdentity() {
        return Optional.ofNullable(identityCheck);
    }

    /** The per-host pins: host pattern to {@code sha256/...} fingerprints, in the order given. */
    public Map<String, List<String>> hostPins() {
        return hostPins;
    }

    /**
     * How often the files trust and key material came from are checked for a change (zero: only on
     * {@link TlsUpgrader#reload()}).
     */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** How the server certificate's revocation is checked ({@link RevocationMode#OFF} unless set). */
    public RevocationMode revocation() {
        return revocation;
    }

    /** The files trust and key material were read from, to read again when they change. */
    MaterialFiles materialFiles() {
        return materialFiles;
    }

    @Override
    public String toString() {
        return "TlsClientConfig{protocols=" + protocols
                + (cipherSuites.isEmpty() ? "" : ", cipherSuites=" + cipherSuites)
                + ", trust=" + (trustAll ? "ALL (insecure)" : trustManager != null ? "trustManager "
                        + trustManager.getClass().getName() : trustedCertificates == null ? "platform"
                        : trustedCertificates.size() + " certificate(s)" + (platformTrustAdded ? " and platform" : ""))
                + (materialFiles.files().isEmpty() ? "" : ", files=" + materialFiles.files() + " (checked every "
                        + reloadInterval + ")")
                + (revocation == RevocationMode.OFF ? "" : ", revocation=" + revocation)
                + (hostPins.isEmpty() ? "" : ", hostPins=" + hostPins)
                + (identityCheck == null ? "" : ", serverIdentity=" + identityCheck)
                + (clientChain.isEmpty() ? "" : ", clientCertificate=" + clientChain.get(0).getSubjectX500Principal())
                + (clientKeyManager == null ? "" : ", clientKeyManager=" + clientKeyManager.getClass().getName())
                + (serverName == null ? "" : ", serverName=" + serverName)
                + (alpn.isEmpty() ? "" : ", alpn=" + alpn)
                + (namedGroups.isEmpty() ? "" : ", namedGroups=" + namedGroups)
                + (keyLog == null ? "" : ", keyLog=" + keyLog)
                + ", handshakeTimeout=" + handshakeTimeout
                + (skipHostnameVerification ? ", hostnameVerification=OFF (insecure)" : "")
                + (commonNameFallback ? ", commonNameFallback=ON (weak)" : "")
                + (legacyCertificates ? ", legacyCertificates=ON (weak)" : "")
                + (legacyDhGroups ? ", legacyDhGroups=ON (weak)" : "")
                + (insecureRenegotiationServers ? ", serversWithoutSecureRenegotiation=ON (weak)" : "")
                + (sessionResumption ? "" : ", sessionResumption=OFF")
                + (fallbackSignal ? ", fallbackSignal" : "")
                + (pins.isEmpty() ? "" : ", pinnedCertificates=" + pins)
                + (knownHosts == null ? "" : ", knownHosts=" + knownHosts)
                + "}";
    }

    /**
     * Builds a {@link TlsClientConfig}. Every setter checks its argument at once and names the bad
     * value in its {@link IllegalArgumentException}.
     */
    public static final class Builder {
        private EnumSet<TlsVersion> protocols = EnumSet.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
        private boolean legacyAllowed;
        private List<String> cipherSuites = new ArrayList<>();
        private List<X509Certificate> trustedCertificates;
        private boolean platformTrustAdded;
        private PrivateKey clientKey;
        private X509KeyManager clientKeyManager;
        private List<X509Certificate> clientChain;
        private HostName serverName;
        private List<String> alpn = new ArrayList<>();
        private List<String> namedGroups = new ArrayList<>();
        private Path keyLog;
        private TlsHandshakeListener listener;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private boolean trustAll;
        private boolean skipHostnameVerification;
        private boolean commonNameFallback;
        private boolean sessionResumption = true;
        private boolean fallbackSignal;
        private boolean legacyCertificates;
        private boolean legacyDhGroups;
        private boolean insecureRenegotiationServers;
        private List<String> pins = new ArrayList<>();
        private Path knownHosts;
        private X509TrustManager trustManager;
        private IdentityCheck identityCheck;
        private final Map<String, List<String>> hostPins = new LinkedHashMap<>();
        private MaterialFiles materialFiles = MaterialFiles.NONE;
        private Duration reloadInterval = Duration.ofMinutes(1);
        private RevocationMode revocation = RevocationMode.OFF;

        private Builder() {
        }

        /**
         * The versions to offer. If unset: TLS 1.2 and 1.3. Listing TLS 1.0 or 1.1 also needs
         * {@link #allowLegacyProtocols()}.
         */
        public Builder protocols(TlsVersion... versions) {
            Objects.requireNonNull(versions, "versions");
            if (versions.length == 0) {
                throw new IllegalArgumentException("protocols: at least one version is needed");
            }
            EnumSet<TlsVersion> set = EnumSet.noneOf(TlsVersion.class);
            for (TlsVersion v : versions) {
                set.add(Objects.requireNonNull(v, "protocols: null version"));
            }
            this.protocols = set;
            return this;
        }

        /**
         * Permits TLS 1.0 and 1.1 in {@link #protocols}. They are deprecated (RFC 8996) and weak: use
         * them only for the old servers that speak nothing else. Each upgrade that negotiates one logs
         * a warning.
         */
        public Builder allowLegacyProtocols() {
            this.legacyAllowed = true;
            return this;
        }

        /**
         * Pins the cipher suites, by IANA name (e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
         * {@code TLS_AES_128_GCM_SHA256}), in preference order. If unset: the backend's defaults.
         */
        public Builder cipherSuites(String... suites) {
            Objects.requireNonNull(suites, "suites");
            if (suites.length == 0) {
                throw new IllegalArgumentException("cipherSuites: at least one suite is needed (leave it unset for the defaults)");
            }
            List<String> list = new ArrayList<>();
            for (String s : suites) {
                if (s == null || !s.startsWith("TLS_")) {
                    throw new IllegalArgumentException("cipher suite '" + s + "' is not an IANA name; use names such as "
                            + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or TLS_AES_128_GCM_SHA256 (OpenSSL names such as "
                            + "ECDHE-RSA-AES128-GCM-SHA256 are not accepted)");
                }
                String refusal = SuitePolicy.refusal(s);
                if (refusal != null) {
                    throw new IllegalArgumentException("cipher suite " + s + " is refused: " + refusal);
                }
                if (!list.contains(s)) {
                    list.add(s);
                }
            }
            this.cipherSuites = list;
            return this;
        }

        /**
         * Trusts exactly the CA certificates in the PEM file {@code pemFile}, instead of the platform
         * trust store, for this config only (the JVM's trust store is not touched). The file is read
         * now, and again when it changes ({@link #reloadInterval(Duration)}).
         */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            this.trustedCertificates = Pem.readCertificates(pemFile);
            this.materialFiles = materialFiles.withTrust(MaterialFiles.Trust.pem(pemFile));
            this.trustManager = null;
            return this;
        }

        /**
         * Trusts exactly the trusted certificate entries of the trust store {@code file} (PKCS#12 or
         * JKS, told from the file, as {@code keytool -importcert} writes them), which {@code password}
         * opens. Read now, and again when it changes (the password is kept for that).
         */
        public Builder trustStore(Path file, char[] password) {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(password, "password");
            this.trustedCertificates = KeyStores.trustedCertificates(file, password);
            this.materialFiles = materialFiles.withTrust(MaterialFiles.Trust.store(file, password));
            this.trustManager = null;
            return this;
        }

        /** Trusts exactly the trusted certificate entries of {@code keyStore}, copied now. */
        public Builder trustedCertificates(KeyStore keyStore) {
            Objects.requireNonNull(keyStore, "keyStore");
            return trustedCertificates(KeyStores.trustedCertificates(keyStore, "the key store given to "
                    + "trustedCertificates(KeyStore)"));
        }

        /**
         * Lets {@code trustManager} (one from a {@code TrustManagerFactory} the application already
         * has, say) decide whether the server's chain leads to a trusted CA, instead of core's anchors.
         * Core's own rules still apply on top of its verdict: the host name (or
         * {@link #serverIdentity}), key sizes and algorithms, name constraints, pins.
         */
        public Builder trustManager(X509TrustManager trustManager) {
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
            this.trustedCertificates = null;
            this.materialFiles = materialFiles.withTrust(null);
            return this;
        }

        /**
         * Replaces the host name rule with {@code check}, for protocols that name servers otherwise
         * ({@link IdentityCheck#uriSubjectAltName} for SPIFFE). The chain is still validated first; a
         * refusal is {@link FailureKind#HOSTNAME_MISMATCH}.
         */
        public Builder serverIdentity(IdentityCheck check) {
            this.identityCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Pins, for hosts matching {@code hostPattern}, the keys one of which the validated chain must
         * hold (any certificate of it: leaf, intermediate or root), <b>in addition to</b> CA
         * validation, as OkHttp's {@code CertificatePinner} does. Fingerprints are {@code sha256/BASE64}
         * of a SubjectPublicKeyInfo (or openssl's colon hex of a certificate or key). A pattern is a host
         * name, {@code *.example.com} (exactly one more label) or {@code **.example.com}
         * (example.com and any name under it); pins of every matching pattern count. Calls add up. A
         * chain without a pinned key fails with {@link FailureKind#PIN_MISMATCH}, whose message lists
         * the chain's pins. For a self-signed server without a CA, use
         * {@link #pinnedCertificates(String...)} instead. With {@link #knownHosts(Path)} there is no CA
         * validation: a matching host's leaf itself must have one of the pins, and that host is never
         * learned on first use.
         */
        public Builder pin(String hostPattern, String... fingerprints) {
            Objects.requireNonNull(hostPattern, "hostPattern");
            Objects.requireNonNull(fingerprints, "fingerprints");
            String pattern = HostPins.checkPattern(hostPattern);
            if (fingerprints.length == 0) {
                throw new IllegalArgumentException("pin(\"" + hostPattern + "\"): at least one fingerprint is needed");
            }
            List<String> list = hostPins.computeIfAbsent(pattern, k -> new ArrayList<>());
            for (String f : fingerprints) {
                Fingerprints.parse(f);
                list.add(f.trim());
            }
            return this;
        }

        /**
         * Checks whether the server's certificate is revoked: a stapled OCSP response, the CA's OCSP
         * responder or its CRL, as {@code mode} says ({@link RevocationMode}). Off by default.
         */
        public Builder revocation(RevocationMode mode) {
            this.revocation = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How often the files trust and key material came from ({@code trustedCertificates(Path)},
         * {@code trustStore}, {@code clientCertificate(Path, ...)}, {@code clientKeyStore}) are checked
         * for a change, at the next upgrade after that much time (default one minute; zero: only on
         * {@link TlsUpgrader#reload()}). A changed file is read whole and used from the next handshake
         * on; connections already open keep theirs. A file that does not read (half-written, say)
         * changes nothing: the previous material stays, with a warning naming the file.
         */
        public Builder reloadInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative: " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /** Trusts exactly {@code certificates} (CA certificates), instead of the platform trust store. */
        public Builder trustedCertificates(Collection<X509Certificate> certificates) {
            Objects.requireNonNull(certificates, "certificates");
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("trustedCertificates: the collection is empty; nothing would be trusted");
            }
            for (X509Certificate c : certificates) {
                Objects.requireNonNull(c, "trustedCertificates: null certificate");
            }
            this.trustedCertificates = new ArrayList<>(certificates);
            this.materialFiles = materialFiles.withTrust(null);
            this.trustManager = null;
            return this;
        }

        /**
         * Trusts the platform trust store's CAs as well as those given to {@code trustedCertificates(...)}
         * ("the public CAs plus my private one"). Without it, {@code trustedCertificates(...)} replaces the
         * platform's CAs. The JVM's trust store is read, never changed.
         */
        public Builder addPlatformTrustedCertificates() {
            this.platformTrustAdded = true;
            return this;
        }

        /**
         * Presents this client certificate when the server asks for one: {@code certChainPem} holds
         * the leaf first, then any intermediates; {@code keyPem} the unencrypted private key (PKCS#8,
         * PKCS#1 RSA or SEC1 EC). Both files are read now.
         */
        public Builder clientCertificate(Path certChainPem, Path keyPem) {
            Objects.requireNonNull(certChainPem, "certChainPem");
            Objects.requireNonNull(keyPem, "keyPem");
            clientCertificate(Pem.readPrivateKey(keyPem), Pem.readCertificates(certChainPem));
            this.materialFiles = materialFiles.withKey(MaterialFiles.Key.pem(certChainPem, keyPem, null));
            return this;
        }

        /**
         * As {@link #clientCertificate(Path, Path)}, with {@code keyPem} an encrypted PKCS#8 key
         * ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}, as {@code openssl pkcs8 -topk8} writes it)
         * that {@code keyPassword} decrypts. The password is not kept.
         */
        public Builder clientCertificate(Path certChainPem, Path keyPem, char[] keyPassword) {
            Objects.requireNonNull(certChainPem, "certChainPem");
            Objects.requireNonNull(keyPem, "keyPem");
            Objects.requireNonNull(keyPassword, "keyPassword");
            clientCertificate(Pem.readPrivateKey(keyPem, keyPassword), Pem.readCertificates(certChainPem));
            this.materialFiles = materialFiles.withKey(MaterialFiles.Key.pem(certChainPem, keyPem, keyPassword));
            return this;
        }

        /**
         * Presents the client certificate of the key store {@code keyStore} (PKCS#12 or JKS, told from
         * the file), which must hold exactly one key entry; {@code password} opens the store and the
         * entry. Read now; the password is not kept.
         */
        public Builder clientKeyStore(Path keyStore, char[] password) {
            return clientKeyStore(keyStore, password, null);
        }

        /** As {@link #clientKeyStore(Path, char[])}, with the key entry named {@code alias}. */
        public Builder clientKeyStore(Path keyStore, char[] password, String alias) {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
            KeyStores.Identity id = KeyStores.read(keyStore, password, alias);
            clientCertificate(id.key(), id.chain());
            this.materialFiles = materialFiles.withKey(MaterialFiles.Key.store(keyStore, password, alias));
            return this;
        }

        /**
         * Lets {@code keyManager} choose and sign with the client certificate, for keys that never
         * leave their device (PKCS#11 tokens, HSMs) or identities chosen per server. Replaces any
         * {@code clientCertificate(...)} or {@code clientKeyStore(...)}.
         */
        public Builder clientKeyManager(X509KeyManager keyManager) {
            this.clientKeyManager = Objects.requireNonNull(keyManager, "keyManager");
            this.clientKey = null;
            this.clientChain = null;
            this.materialFiles = materialFiles.withKey(null);
            return this;
        }

        /** Presents {@code chain} (leaf first) with {@code key} when the server asks for a client certificate. */
        public Builder clientCertificate(PrivateKey key, List<X509Certificate> chain) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(chain, "chain");
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("clientCertificate: the chain is empty");
            }
            String certAlgorithm = chain.get(0).getPublicKey().getAlgorithm();
            if (!sameKeyType(certAlgorithm, key.getAlgorithm())) {
                throw new IllegalArgumentException("clientCertificate: the key is " + key.getAlgorithm()
                        + " but the certificate's public key is " + certAlgorithm);
            }
            this.clientKey = key;
            this.clientChain = new ArrayList<>(chain);
            this.clientKeyManager = null;
            this.materialFiles = materialFiles.withKey(null);
            return this;
        }

        private static boolean sameKeyType(String a, String b) {
            return a.equalsIgnoreCase(b) || a.startsWith("RSA") && b.startsWith("RSA");
        }

        /**
         * The name to send as SNI and to check the certificate against, when it differs from the host
         * the socket is connected to (for example connecting to an IP but expecting
         * {@code "db.example.com"}). If unset: the host passed to {@link TlsUpgrader#upgrade}.
         */
        public Builder serverName(String name) {
            this.serverName = HostName.of(name);
            return this;
        }

        /** Offers ALPN protocols in preference order (e.g. {@code "h2", "http/1.1"}). If unset: no ALPN. */
        public Builder alpn(String... protocols) {
            Objects.requireNonNull(protocols, "protocols");
            List<String> list = new ArrayList<>();
            for (String p : protocols) {
                if (p == null || p.isEmpty() || p.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("ALPN protocol '" + p + "' must be 1 to 255 bytes");
                }
                list.add(p);
            }
            this.alpn = list;
            return this;
        }

        /**
         * The key exchange groups to offer, in preference order, by their standard names:
         * {@code x25519}, {@code secp256r1}, {@code secp384r1}, {@code X25519MLKEM768}, ... If unset: the
         * backend's defaults, which for BoringSSL include the post-quantum {@code X25519MLKEM768} share
         * that makes the ClientHello larger than one packet; {@code namedGroups("x25519", "secp256r1")}
         * offers classic groups only. Needs a backend with {@link TlsFeature#NAMED_GROUPS}.
         */
        public Builder namedGroups(String... groups) {
            Objects.requireNonNull(groups, "groups");
            if (groups.length == 0) {
                throw new IllegalArgumentException("namedGroups: at least one group is needed (leave it unset for the defaults)");
            }
            List<String> list = new ArrayList<>();
            for (String g : groups) {
                String known = NamedGroups.canonical(g);
                if (!list.contains(known)) {
                    list.add(known);
                }
            }
            this.namedGroups = list;
            return this;
        }

        /**
         * Appends the secrets of every connection to {@code file} as NSS key log lines (the
         * SSLKEYLOGFILE format), so Wireshark can decrypt a capture. <b>Anyone who reads the file can
         * decrypt those connections</b>: it is created readable by its owner only, and every upgrade
         * logs a warning. Needs a backend with {@link TlsFeature#KEY_LOG}.
         */
        public Builder keyLog(Path file) {
            this.keyLog = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Tells {@code listener} about every upgrade made with this config: started, succeeded or failed. */
        public Builder listener(TlsHandshakeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Bounds the whole handshake (default 30 s); a peer that stays silent fails with TIMEOUT. */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
                throw new IllegalArgumentException("handshakeTimeout must be at least 1 ms: " + timeout);
            }
            if (timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("handshakeTimeout must be at most one day: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * <b>Insecure:</b> accepts any certificate chain, so anyone on the path can read and change the
         * traffic. For tests and first contact with a device only. Host names are still checked unless
         * {@link #insecureSkipHostnameVerification()} is also called. Every upgrade logs a warning.
         */
        public Builder insecureTrustAllCertificates() {
            this.trustAll = true;
            return this;
        }

        /**
         * <b>Insecure:</b> does not check that the certificate names the host, so any certificate the
         * trust accepts passes for any server. SNI is still sent. Every upgrade logs a warning.
         */
        public Builder insecureSkipHostnameVerification() {
            this.skipHostnameVerification = true;
            return this;
        }

        /**
         * Identifies the server by its own certificate instead of a CA: the leaf it presents must have
         * one of these SHA-256 fingerprints, of the whole certificate or of its SubjectPublicKeyInfo,
         * written {@code sha256/BASE64} or as openssl's colon hex ({@code openssl x509 -noout
         * -fingerprint -sha256}). For self-signed servers (RDP hosts, devices, brokers, lab databases)
         * without {@link #insecureTrustAllCertificates()}. <b>A pinned leaf is the server's identity:
         * its issuer, dates, names and signature algorithm are not checked</b> (old RDP hosts sign
         * their own certificates with SHA-1), and {@code trustedCertificates(...)} is not consulted.
         * To pin keys of a CA-validated chain per host instead, see {@link #pin(String, String...)}.
         */
        public Builder pinnedCertificates(String... fingerprints) {
            Objects.requireNonNull(fingerprints, "fingerprints");
            if (fingerprints.length == 0) {
                throw new IllegalArgumentException("pinnedCertificates: at least one fingerprint is needed");
            }
            List<String> list = new ArrayList<>();
            for (String f : fingerprints) {
                Fingerprints.parse(f);
                list.add(f.trim());
            }
            this.pins = list;
            return this;
        }

        /**
         * Trust on first use, as SSH and FreeRDP do: the first connection to a {@code host:port}
         * records the server's key (the SHA-256 of its SubjectPublicKeyInfo) in {@code file}, with a
         * warning; later connections must present the same key, or fail with
         * {@link FailureKind#CERTIFICATE_CHANGED}, whose message shows both fingerprints and how to
         * accept the change. Like a pin, a known key is the server's identity (issuer, dates and names
         * are not checked). Lines are {@code HOST:PORT sha256/BASE64}; the file is created readable by
         * its owner only, replaced atomically, and safe for several processes at once. Combined with
         * {@link #pin(String, String...)}: a host a pattern matches must present a leaf with one of its
         * pins, and is never learned; the others are. It cannot be combined with
         * {@link #pinnedCertificates(String...)}, whose pins would hold for every host and restrict nothing.
         */
        public Builder knownHosts(Path file) {
            this.knownHosts = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Consults the subject CN when the server's certificate has no subjectAltName extension at all,
         * for old devices whose certificates predate SANs. Off by default, as in current browsers, Go
         * and BoringSSL: a CN is never used when a SAN exists, never for an IP literal, and only when it
         * is a valid host name within the chain's name constraints. Every upgrade logs a warning.
         */
        public Builder allowCommonNameFallback() {
            this.commonNameFallback = true;
            return this;
        }

        /**
         * Whether later connections may resume an earlier session (default true, where the backend
         * can: {@link TlsFeature#SESSION_RESUMPTION}). CredSSP (RDP's NLA) requires a full handshake
         * every time, as may other protocols that bind to the handshake: with {@code false} every
         * upgrade runs with a session cache of its own, on every backend, so nothing is resumed.
         */
        public Builder sessionResumption(boolean enabled) {
            this.sessionResumption = enabled;
            return this;
        }

        /**
         * Marks every connection of this config as a retry with older versions than the client's best
         * (RFC 7507's TLS_FALLBACK_SCSV): a server that supports a newer version than offered refuses it
         * with inappropriate_fallback, so interference with the newer attempt cannot push the client
         * down. For clients that retry after a failure and for probes; only backends with
         * {@link TlsFeature#FALLBACK_SCSV} can send it, the others refuse the config.
         */
        public Builder fallbackSignal() {
            this.fallbackSignal = true;
            return this;
        }

        /**
         * Admits certificates signed with SHA-1 and RSA keys of 1024 to 2047 bits, which the certificate
         * policy refuses by default (MD5, DSA and smaller keys stay refused), for old devices whose
         * certificates cannot be reissued. Weak: anyone able to forge SHA-1 signatures can impersonate
         * such a server. Every upgrade logs a warning.
         */
        public Builder allowLegacyCertificates() {
            this.legacyCertificates = true;
            return this;
        }

        /**
         * Admits finite-field Diffie-Hellman groups of 1024 to 2047 bits in DHE key exchange, which every
         * backend refuses by default (smaller groups stay refused), for old servers that offer only DHE
         * suites on such a group. Weak: a 1024-bit group is within reach of a well-funded attacker
         * (Logjam). Only backends that speak DHE use it (BoringSSL, under openssl and conscrypt, has no
         * DHE at all). Every upgrade logs a warning.
         */
        public Builder allowLegacyDhGroups() {
            this.legacyDhGroups = true;
            return this;
        }

        /**
         * Admits TLS 1.0-1.2 servers that do not support secure renegotiation (RFC 5746: their
         * ServerHello lacks renegotiation_info), which every backend refuses by default. Such a server
         * cannot tell a client's handshake from a renegotiation an attacker started, so data the attacker
         * sent first may be taken as this client's (CVE-2009-3555). This client never renegotiates; the
         * risk is on the server's side. For old servers only; each upgrade to such a server logs a warning.
         */
        public Builder allowServersWithoutSecureRenegotiation() {
            this.insecureRenegotiationServers = true;
            return this;
        }

        /**
         * @throws IllegalArgumentException if TLS 1.0 or 1.1 is listed without
         *     {@link #allowLegacyProtocols()}, or trust-all is combined with private trust anchors
         */
        public TlsClientConfig build() {
            EnumSet<TlsVersion> legacy = EnumSet.copyOf(protocols);
            legacy.removeIf(v -> !v.isLegacy());
            if (!legacy.isEmpty() && !legacyAllowed) {
                throw new IllegalArgumentException("protocols " + legacy + " are legacy (deprecated by RFC 8996); "
                        + "call allowLegacyProtocols() to use them, and only for servers that speak nothing newer");
            }
            if (platformTrustAdded && trustedCertificates == null) {
                throw new IllegalArgumentException("addPlatformTrustedCertificates() adds the platform's CAs to those of "
                        + "trustedCertificates(...), which is not set; leave both unset to trust the platform's alone");
            }
            if (trustAll && (!pins.isEmpty() || knownHosts != null)) {
                throw new IllegalArgumentException("insecureTrustAllCertificates() and pinnedCertificates(...)/knownHosts(...) "
                        + "contradict each other; a pin or a known host already trusts the server's own certificate");
            }
            if (trustManager != null && (trustAll || platformTrustAdded)) {
                throw new IllegalArgumentException("trustManager(...) decides trust itself; it cannot be combined with "
                        + (trustAll ? "insecureTrustAllCertificates()" : "addPlatformTrustedCertificates()"));
            }
            if (identityCheck != null && (skipHostnameVerification || !pins.isEmpty() || knownHosts != null || trustAll)) {
                throw new IllegalArgumentException("serverIdentity(...) replaces the host name rule of a validated chain; it "
                        + "cannot be combined with insecureSkipHostnameVerification(), insecureTrustAllCertificates(), "
                        + "pinnedCertificates(...) or knownHosts(...)");
            }
            if (revocation != RevocationMode.OFF && (trustAll || !pins.isEmpty() || knownHosts != null)) {
                throw new IllegalArgumentException("revocation(" + revocation + ") checks a CA's word on a validated chain; "
                        + "insecureTrustAllCertificates(), pinnedCertificates(...) and knownHosts(...) validate none");
            }
            if (!hostPins.isEmpty() && (trustAll || !pins.isEmpty())) {
                throw new IllegalArgumentException("pin(host, ...) pins keys on top of CA validation; "
                        + (trustAll ? "insecureTrustAllCertificates() skips that validation" : "pinnedCertificates(...) "
                        + "identifies every server by its own certificate instead, so they cannot be combined"));
            }
            if (!pins.isEmpty() && knownHosts != null) {
                throw new IllegalArgumentException("pinnedCertificates(...) trusts those keys for every server, so "
                        + "knownHosts(...) would learn keys the pins then fail to restrict; to pin some hosts and learn "
                        + "the others, use pin(host, ...) with knownHosts(...)");
            }
            if (trustAll && trustedCertificates != null) {
                throw new IllegalArgumentException("insecureTrustAllCertificates() and trustedCertificates(...) contradict "
                        + "each other; choose one");
            }
            return new TlsClientConfig(this);
        }
    }
}
