package dev.tlsupgrade;

import dev.tlsupgrade.internal.policy.HostName;
import dev.tlsupgrade.internal.policy.SuitePolicy;
import dev.tlsupgrade.internal.socket.ObservedSocket;
import dev.tlsupgrade.internal.socket.Watchdog;
import dev.tlsupgrade.internal.trust.CertificateVerifier;
import dev.tlsupgrade.internal.wire.WireFacts;
import dev.tlsupgrade.internal.wire.WireRecorder;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.BackendEngine;
import dev.tlsupgrade.spi.EngineRequest;
import dev.tlsupgrade.spi.HandshakeRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades connected sockets to TLS through one backend and one {@link TlsClientConfig}.
 *
 * <pre>{@code
 * TlsUpgrader upgrader = TlsBackends.get("jsse").newUpgrader(TlsClientConfig.defaults());
 * Socket plain = new Socket("mail.example.com", 25);
 * // ... SMTP: EHLO, STARTTLS, 220 ...
 * SSLSocket tls = upgrader.upgrade(plain, "mail.example.com", 25);
 * }</pre>
 *
 * <p>Thread-safe: one upgrader serves many connections, and later connections to the same server
 * resume its session where the backend can. Every upgrade sends SNI for host names (never for IP
 * literals), checks the certificate and the host name, and is bounded by the handshake timeout.
 * During the handshake the socket's SO_TIMEOUT and TCP_NODELAY are the upgrader's; the caller's
 * values are restored afterwards.
 * Closing the upgrader releases backend resources (native contexts); sockets it returned stay open.
 */
public final class TlsUpgrader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsUpgrader.class);

    private static final int MAX_VARIANTS = 16;

    private final TlsBackend backend;
    private final TlsClientConfig config;
    private final CertificateVerifier verifier;
    private final MaterialReloader reloader;
    private final BackendConnector connector;
    private final Variant base;
    private final Function<TlsClientConfig, BackendConnector> connectors;
    /** The config's static-RSA suites, found once: every upgrade warns about them (profiled: the scan was 5%). */
    private final List<String> staticRsaSuites;
    /** Whether the config offers TLS 1.0/1.1, which every upgrade warns of; decided once. */
    private final boolean offersLegacy;
    /** Connectors for configs that sockets narrowed, oldest first. Guarded by itself for writes. */
    private final Map<VariantKey, Variant> variants = Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * @param connectors makes a backend connector for a config (the upgrader's, or one a socket
     *     narrowed), with the same trust, key manager and key log
     */
    TlsUpgrader(TlsBackend backend, TlsClientConfig config, CertificateVerifier verifier, MaterialReloader reloader,
            Function<TlsClientConfig, BackendConnector> connectors) {
        this.backend = backend;
        this.config = config;
        this.verifier = verifier;
        this.reloader = reloader;
        this.connectors = connectors;
        this.connector = connectors.apply(config);
        this.base = new Variant(config, connector);
        this.staticRsaSuites = config.cipherSuites().stream().filter(SuitePolicy::isStaticRsa).toList();
        this.offersLegacy = config.protocols().stream().anyMatch(TlsVersion::isLegacy);
    }

    public TlsBackend backend() {
        return backend;
    }

    /**
     * Reads the trust and key files of the config again now ({@code trustedCertificates(Path)},
     * {@code trustStore}, {@code clientCertificate(Path, ...)}, {@code clientKeyStore}), as the
     * periodic check of {@link TlsClientConfig.Builder#reloadInterval} does when they change: the
     * next handshake uses what they hold; connections already open keep theirs.
     *
     * @throws IllegalStateException naming a file that did not read whole; the previous material stays
     */
    public void reload() {
        reloader.check(true);
    }

    public TlsClientConfig config() {
        return config;
    }

    /**
     * Runs the TLS handshake on {@code connected} and returns the TLS socket layered on it; the
     * upgrader then owns {@code connected}: closing the returned socket closes it, and a failed
     * upgrade closes it too.
     *
     * @param connected a connected, open, plain socket (any plaintext preamble already done)
     * @param host the server's host name or IP literal, as the user knows it (not a URL, no port)
     * @param port the server's port, 1 to 65535
     * @return an {@link SSLSocket} whose handshake has completed; {@link TlsHandshakeInfo#of} tells
     *     what was negotiated
     * @throws IllegalArgumentException for bad input, before any byte is sent
     * @throws TlsUpgradeException when the handshake fails; it says why and what to try
     */
    public SSLSocket upgrade(Socket connected, String host, int port) throws TlsUpgradeException {
        checkTarget(host, port);
        requireUsable(connected);
        UpgradedSocket tls = new UpgradedSocket(this, connected, true, host, port);
        try {
            tls.startHandshake();
        } catch (TlsUpgradeException e) {
            throw e;
        } catch (IOException e) {
            // startHandshake on a fresh socket fails only through the handshake, which explains itself
            throw new IllegalStateException("unexpected failure before the handshake: " + e, e);
        }
        return tls;
    }

    /**
     * An {@link SSLSocketFactory} whose sockets upgrade through this upgrader, for clients that take
     * a factory (pgjdbc, Jakarta Mail, Paho, the RabbitMQ client, OkHttp). Its sockets follow the
     * standard lifecycle: connected (or layered on a connected socket), then configured, then
     * handshaken on {@code startHandshake()} or the first read or write. What a client sets before the
     * handshake narrows this upgrader's config and never widens it; the handshake has every check,
     * the timeout and the explained failures of {@link #upgrade}.
     */
    public SSLSocketFactory socketFactory() {
        return new UpgraderSocketFactory(this);
    }

    /**
     * The trust decision this upgrader makes, for clients that demand an {@link X509TrustManager}
     * next to a socket factory (OkHttp). As an {@link javax.net.ssl.X509ExtendedTrustManager} it checks
     * the chain and the host name of the socket's or engine's session; through the two-argument
     * {@code checkServerTrusted} it checks the host of the config's {@link TlsClientConfig#serverName()}
     * and refuses when none is set.
     */
    public X509TrustManager trustManager() {
        return new UpgraderTrustManager(verifier, config);
    }

    /**
     * An {@link SSLContext} for clients that take one instead of a socket: {@code java.net.http},
     * Netty, Apache HttpClient 5 async, Jetty, Kafka. Its engines ({@code createSSLEngine(host, port)})
     * are core's, over this backend, with this upgrader's config, trust decision and explained
     * failures; its socket factory is {@link #socketFactory()}. Nothing is registered JVM-wide. It is a
     * client context: server sockets and server-mode engines are refused. {@code init} with key or
     * trust managers is refused too (the config holds them); {@code init(null, null, null)} does
     * nothing.
     */
    public SSLContext sslContext() {
        if (config.revocation() == RevocationMode.SOFT_FAIL || config.revocation() == RevocationMode.HARD_FAIL) {
            throw new IllegalStateException("revocation(" + config.revocation() + ") fetches OCSP answers and CRLs with "
                    + "blocking I/O, which an engine's event loop must not do; engines take revocation(STAPLED_IF_PRESENT) "
                    + "or revocation(STAPLED_REQUIRED)");
        }
        return new UpgraderSslContext(this);
    }

    /**
     * A JCA {@link java.security.Provider}, not installed, whose {@code SSLContext} (algorithm
     * {@code "TLS"}) is {@link #sslContext()}, for libraries that take a provider (Netty's
     * {@code SslContextBuilder.sslContextProvider}).
     */
    public java.security.Provider provider() {
        return new UpgraderProvider(this);
    }

    /** A provider engine begun for one connection, and what core needs to judge it. */
    record EngineStart(BackendEngine engine, BackendConnector connector, TlsClientConfig config, String sni) {
    }

    /** Makes the provider's engine for a connection to {@code host} with an engine's own settings. */
    EngineStart startEngine(String host, int port, SocketSettings settings) {
        Plan plan = plan(host, null, settings);
        EngineRequest request = plan.request(port);
        TlsClientConfig effective = plan.variant().config();
        if (config.sessionResumption()) {
            return new EngineStart(plan.variant().connector().engine(request), plan.variant().connector(), effective,
                    plan.sni());
        }
        // A connector (and so a session cache) of its own, released with the engine.
        BackendConnector once = connectors.apply(effective);
        try {
            BackendEngine made = once.engine(request);
            Runnable release = made.release();
            return new EngineStart(new BackendEngine(made.engine(), () -> {
                release.run();
                once.close();
            }), once, effective, plan.sni());
        } catch (RuntimeException e) {
            once.close();
            throw e;
        }
    }

    static void checkTarget(String host, int port) {
        HostName.of(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    /** A finished handshake: the provider's socket and what it negotiated. */
    record Upgraded(SSLSocket socket, TlsHandshakeInfo info, BackendConnector connector) {
    }

    /** The suites this upgrader offers when a socket does not narrow them. */
    List<String> enabledCipherSuites() {
        return connector.enabledCipherSuites();
    }

    /**
     * Runs the handshake on {@code connected} with the socket's own settings over the config. On
     * failure the provider's socket is closed, {@code connected} too when {@code closeSocket}, and
     * the explained failure is thrown.
     */
    Upgraded handshake(Socket connected, String host, int port, SocketSettings settings, boolean closeSocket)
            throws TlsUpgradeException {
        InetSocketAddress address = connected.getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null;
        Plan plan = plan(host, address, settings);
        Variant variant = plan.variant();
        TlsClientConfig effective = variant.config();
        WireRecorder recorder = new WireRecorder();
        long start = System.nanoTime();
        Watchdog.Deadline deadline = null;
        SSLSocket tls = null;
        try {
            int savedTimeout = connected.getSoTimeout();
            boolean savedNoDelay = connected.getTcpNoDelay();
            // The watchdog bounds the whole handshake by closing the socket; reads need no timeout of their own,
            // and an untimed read is one system call where a timed one polls first (profiled: ~26 us per
            // resumed handshake). Nor may a short SO_TIMEOUT of the caller's cut the handshake short.
            if (savedTimeout != 0) {
                connected.setSoTimeout(0);
            }
            // Handshake flights go out in several small writes; with Nagle's algorithm each may wait for the
            // peer's delayed ACK (tens of ms a round trip). Off for the handshake, the caller's choice after.
            if (!savedNoDelay) {
                connected.setTcpNoDelay(true);
            }
            deadline = Watchdog.start(config.handshakeTimeout().toMillis(), connected);
            HandshakeRequest request = new HandshakeRequest(new ObservedSocket(connected, recorder, closeSocket),
                    plan.request(port));
            if (config.sessionResumption()) {
                tls = variant.connector().handshake(request);
            } else {
                // A connector (and so a session cache) of its own: nothing to resume from, on every backend. Its
                // native context, if any, is reference-counted by the connection and freed with it.
                try (BackendConnector once = connectors.apply(effective)) {
                    tls = once.handshake(request);
                }
            }
            if (!deadline.cancel()) {
                throw new SocketException("handshake deadline passed");
            }
            if (savedTimeout != 0) {
                connected.setSoTimeout(savedTimeout);
            }
            if (!savedNoDelay) {
                connected.setTcpNoDelay(false);
            }
        } catch (Error e) {
            // Not a handshake failure (a native library gone wrong, say): clean up and let it through.
            if (deadline != null) {
                deadline.cancel();
            }
            closeQuietly(tls);
            closeQuietly(connected);
            throw e;
        } catch (IOException | RuntimeException e) {
            boolean timedOut = deadline != null && !deadline.cancel();
            closeQuietly(tls);
            if (closeSocket || timedOut) {
                closeQuietly(connected);
            }
            TlsUpgradeException failure = new FailureExplainer(backend.name(), host, address, effective)
                    .explain(e, WireFacts.of(recorder.snapshot()), timedOut);
            recorder.stop();
            failed(failure);
            throw failure;
        }
        WireFacts wire = WireFacts.of(recorder.snapshot());
        recorder.stop();
        SSLSocket finished = tls;
        TlsUpgradeException refused = refusedAfterHandshake(host, address, wire, effective,
                () -> peerChain(finished.getSession()), () -> variant.connector().stapledOcspResponse(finished),
                start + config.handshakeTimeout().toNanos());
        if (refused != null) {
            closeQuietly(tls);
            closeQuietly(connected);
            throw refused;
        }
        TlsHandshakeInfo info;
        try {
            SSLSocket done = tls;
            info = describe(tls.getSession(), () -> done.getApplicationProtocol(),
                    () -> variant.connector().stapledOcspResponse(done), host, address, wire,
                    Duration.ofNanos(System.nanoTime() - start), effective);
        } catch (RuntimeException e) {
            closeQuietly(tls);
            throw e;
        }
        succeeded(info, wire);
        return new Upgraded(tls, info, variant.connector());
    }

    /**
     * Where one connection goes, decided the same for sockets and engines: the connector for the
     * client's settings, the name the certificate must match and the SNI to send (none for an IP
     * literal).
     */
    record Plan(Variant variant, HostName peer, String sni) {
        EngineRequest request(int port) {
            return new EngineRequest(peer, port, sni, variant.config().protocolNames());
        }
    }

    /** Decides the {@link Plan} for a connection to {@code host} and logs what the config makes risky. */
    Plan plan(String host, InetSocketAddress address, SocketSettings settings) {
        HostName target = HostName.of(host);
        reloader.maybeReload();
        Variant variant = variant(settings);
        TlsClientConfig effective = variant.config();
        HostName peer = config.serverHostName() != null ? config.serverHostName()
                : settings.serverName() != null ? settings.serverName() : target;
        String sni = peer.isIpLiteral() ? null : peer.name();
        warnInsecure(host);
        if (sni != null && sni.indexOf('.') < 0 && !sni.equals("localhost")
                && !backend.capabilities().has(TlsFeature.SNI_SINGLE_LABEL)) {
            LOG.warn("{}: cannot send SNI for the single-label name '{}' (it sends SNI only for names with a dot and "
                    + "localhost); a server that needs SNI will refuse: use another backend or a fully qualified name",
                    backend.name(), sni);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: upgrading {} ({}), offering {}{}, SNI {}", backend.name(), host,
                    TlsUpgradeException.describe(address), effective.protocols(),
                    effective.cipherSuites().isEmpty() ? "" : " with " + effective.cipherSuites(),
                    sni == null ? "none" : sni);
        }
        notify(l -> l.started(backend.name(), host, address));
        return new Plan(variant, peer, sni);
    }

    private TlsUpgradeException sha1Refused(String host, InetSocketAddress address, WireFacts wire) {
        return new TlsUpgradeException(backend.name(), host, address, HandshakeStage.VERIFYING_CERTIFICATE,
                FailureKind.POLICY_REFUSED, String.format("the server signed its key exchange with SHA-1 (signature "
                        + "scheme 0x%04x), which is accepted only when a legacy version (TLS 1.0/1.1) is offered.",
                        wire.serverSignatureScheme()),
                "configure the server to sign with SHA-256 or better (any TLS 1.2 server can); for an old server that "
                        + "cannot, offer protocols(TLS_1_0, TLS_1_1, TLS_1_2) with allowLegacyProtocols() (weak).", null);
    }

    /** A config a socket narrowed, and the connector made for it. */
    record Variant(TlsClientConfig config, BackendConnector connector) {
    }

    /** What identifies a narrowed config: the settings that need a connector of their own. */
    private record VariantKey(Set<TlsVersion> protocols, List<String> cipherSuites, List<String> alpn) {
    }

    private Variant variant(SocketSettings settings) {
        if (settings.sameConnector()) {
            return base;
        }
        VariantKey key = new VariantKey(settings.protocols(), settings.cipherSuites(), settings.alpn());
        Variant v = variants.get(key);
        if (v != null) {
            return v;
        }
        synchronized (variants) {
            v = variants.get(key);
            if (v == null) {
                TlsClientConfig.Builder b = config.toBuilder();
                if (key.protocols() != null) {
                    b.protocols(key.protocols().toArray(new TlsVersion[0]));
                }
                if (key.cipherSuites() != null) {
                    b.cipherSuites(key.cipherSuites().toArray(new String[0]));
                }
                if (key.alpn() != null) {
                    b.alpn(key.alpn().toArray(new String[0]));
                }
                TlsClientConfig narrowed = b.build();
                if (variants.size() >= MAX_VARIANTS) {
                    // Clients use a handful of settings; a client that varies them per connection still gets
                    // bounded memory: the oldest variant goes (its sockets stay usable).
                    VariantKey oldest = variants.keySet().iterator().next();
                    variants.remove(oldest).connector().close();
                }
                v = new Variant(narrowed, connectors.apply(narrowed));
                variants.put(key, v);
            }
            return v;
        }
    }

    /**
     * The checks core makes on what the server chose, which no backend can make per connection, on a
     * finished handshake's bytes: null when it may stand, else the failure (already logged and told
     * to the listener).
     */
    TlsUpgradeException refusedAfterHandshake(String host, InetSocketAddress address, WireFacts wire,
            TlsClientConfig effective, java.util.function.Supplier<X509Certificate[]> chain,
            java.util.function.Supplier<java.util.Optional<byte[]>> stapled, long deadlineNanos) {
        TlsUpgradeException failure = null;
        if (effective.revocation() != RevocationMode.OFF && !wire.resumed()) {
            // The certificate's verdict comes first (a resumed session's certificate was judged when it was made).
            try {
                verifier.checkRevocation(chain.get(), stapled.get(), deadlineNanos);
            } catch (java.security.cert.CertificateException e) {
                failure = new FailureExplainer(backend.name(), host, address, effective).explain(e, wire, false);
            }
        }
        if (failure == null && wire.sha1HandshakeSignature() && effective.protocols().stream().noneMatch(TlsVersion::isLegacy)) {
            // JDK 17, tcnative and Conscrypt offer SHA-1 schemes with no per-connection way to withdraw them: the
            // policy is enforced on what the server chose, which TLS 1.2 shows in the clear.
            failure = sha1Refused(host, address, wire);
        } else if (failure == null && wire.insecureRenegotiationServer()
                && !effective.serversWithoutSecureRenegotiationAllowed()) {
            // JSSE and BoringSSL accept such servers with no per-connection switch; Bouncy Castle refuses them.
            failure = new FailureExplainer(backend.name(), host, address, effective)
                    .insecureRenegotiation(HandshakeStage.FINISHING, null);
        } else if (failure == null && wire.insecureRenegotiationServer()) {
            LOG.warn("{}: {} does not support secure renegotiation (RFC 5746); accepted because of "
                    + "allowServersWithoutSecureRenegotiation()", backend.name(), host);
        }
        if (failure != null) {
            failed(failure);
        }
        return failure;
    }

    /** The server's chain of a finished handshake, leaf first (empty for an anonymous suite). */
    static X509Certificate[] peerChain(SSLSession session) {
        try {
            Certificate[] certs = session.getPeerCertificates();
            X509Certificate[] out = new X509Certificate[certs.length];
            for (int i = 0; i < certs.length; i++) {
                out[i] = (X509Certificate) certs[i];
            }
            return out;
        } catch (SSLPeerUnverifiedException none) {
            return new X509Certificate[0];
        }
    }

    /** Logs and tells the listener about a failed handshake. */
    void failed(TlsUpgradeException failure) {
        LOG.debug("{}", failure.getMessage());
        notify(l -> l.failed(failure));
    }

    /** Logs and tells the listener about a finished handshake. */
    void succeeded(TlsHandshakeInfo info, WireFacts wire) {
        if (info.version().isLegacy()) {
            LOG.warn("{}: negotiated legacy {} with {} ({}); it is deprecated and weak, use it only for this server",
                    backend.name(), info.version(), info.host(), TlsUpgradeException.describe(info.remoteAddress().orElse(null)));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}; the ClientHello was {} bytes and offered {} cipher suites", info, wire.clientHelloSize(),
                    wire.cipherSuitesOffered());
        }
        notify(l -> l.succeeded(info));
    }

    /** The facts of a finished handshake, from its session and the bytes that crossed. */
    TlsHandshakeInfo describe(SSLSession session, java.util.function.Supplier<String> applicationProtocol,
            java.util.function.Supplier<java.util.Optional<byte[]>> stapledOcsp, String host, InetSocketAddress address,
            WireFacts wire, Duration took, TlsClientConfig effective) {
        TlsVersion version = TlsVersion.fromJsseName(session.getProtocol()).orElseThrow(() ->
                new IllegalStateException(backend.name() + " negotiated an unknown protocol " + session.getProtocol()));
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
        } catch (SSLPeerUnverifiedException none) {
            // an anonymous suite: no chain to report
        }
        String alpn = null;
        if (!effective.alpn().isEmpty()) { // nothing offered, nothing chosen: Conscrypt answers this by reflection
            try {
                alpn = applicationProtocol.get();
            } catch (UnsupportedOperationException notImplemented) {
                alpn = null;
            }
        }
        return new TlsHandshakeInfo(backend.name(), host, address, version, session.getCipherSuite(), chain, alpn,
                wire.sniHostName(), wire.resumed(), wire.clientHelloSize(), stapledOcsp.get().orElse(null), took);
    }

    private void notify(java.util.function.Consumer<TlsHandshakeListener> event) {
        config.listener().ifPresent(l -> {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("{}: the handshake listener {} threw; the upgrade goes on", backend.name(), l, e);
            }
        });
    }

    private void warnInsecure(String host) {
        if (config.trustsAllCertificates()) {
            LOG.warn("{}: upgrading {} with insecureTrustAllCertificates(): the server's certificate is NOT checked, "
                    + "anyone on the path can impersonate it", backend.name(), host);
        }
        if (config.skipsHostnameVerification()) {
            LOG.warn("{}: upgrading {} with insecureSkipHostnameVerification(): a certificate for any host is accepted",
                    backend.name(), host);
        }
        if (!staticRsaSuites.isEmpty()) {
            LOG.warn("{}: upgrading {} with pinned static-RSA suites {}: no forward secrecy (whoever gets the server's key "
                    + "later can decrypt this traffic)", backend.name(), host, staticRsaSuites);
        }
        if (!config.sessionResumption()) {
            LOG.debug("{}: session resumption is off: a fresh session cache for this upgrade", backend.name());
        }
        if (config.legacyCertificatesAllowed()) {
            LOG.warn("{}: upgrading {} with allowLegacyCertificates(): SHA-1 signatures and 1024-bit RSA keys are accepted "
                    + "(weak: only for old devices)", backend.name(), host);
        }
        if (config.legacyDhGroupsAllowed()) {
            LOG.warn("{}: upgrading {} with allowLegacyDhGroups(): Diffie-Hellman groups of 1024 bits are accepted "
                    + "(weak: only for old servers)", backend.name(), host);
        }
        if (config.commonNameFallbackAllowed()) {
            LOG.warn("{}: upgrading {} with allowCommonNameFallback(): a certificate without subjectAltName is matched by "
                    + "its CN (weak: only for old devices)", backend.name(), host);
        }
        config.keyLog().ifPresent(file -> LOG.warn("{}: writing the secrets of the connection to {} to the key log {}; "
                + "anyone who reads it can decrypt this traffic", backend.name(), host, file));
        if (offersLegacy) {
            LOG.warn("{}: offering legacy {} to {}; TLS 1.0/1.1 are deprecated (RFC 8996)", backend.name(),
                    config.protocols(), host);
        }
    }

    static void requireUsable(Socket s) {
        Objects.requireNonNull(s, "socket");
        if (s instanceof SSLSocket) {
            throw new IllegalArgumentException("the socket is already an SSLSocket; pass the plain connected socket");
        }
        if (s.isClosed()) {
            throw new IllegalArgumentException("the socket is closed; pass an open, connected socket");
        }
        if (!s.isConnected()) {
            throw new IllegalArgumentException("the socket is not connected; connect it (and run any plaintext "
                    + "preamble) before upgrading");
        }
        if (s.isInputShutdown() || s.isOutputShutdown()) {
            throw new IllegalArgumentException("the socket's input or output is shut down; a handshake needs both");
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // the handshake failure is what matters
        }
    }

    /** Releases backend resources; sockets already returned stay usable. */
    @Override
    public void close() {
        connector.close();
        synchronized (variants) {
            for (Variant v : variants.values()) {
                v.connector().close();
            }
            variants.clear();
        }
    }

    @Override
    public String toString() {
        return "TlsUpgrader{" + backend.name() + ", " + config + "}";
    }
}
