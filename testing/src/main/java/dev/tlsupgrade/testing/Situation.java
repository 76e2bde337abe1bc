package dev.tlsupgrade.testing;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * The ways a handshake fails in the field, each reproduced by a real loopback peer, with the
 * {@link FailureKind} every backend must report. {@link #provoke} runs one against a backend; the
 * diagnostics contract asserts on the result and the command line prints it for the README.
 */
public enum Situation {
    SERVER_SPEAKS_ONLY_TLS_1_0("the server speaks only TLS 1.0; the client offers TLS 1.2 and 1.3",
            FailureKind.PROTOCOL_VERSION),
    SERVER_WANTS_NEWER_THAN_OFFERED("the client offers only TLS 1.0; the server speaks TLS 1.2 and 1.3",
            FailureKind.PROTOCOL_VERSION),
    CLOSED_AFTER_CLIENT_HELLO("the server closes the connection after the ClientHello, without an alert",
            FailureKind.PEER_CLOSED),
    RESET_AFTER_CLIENT_HELLO("the server resets the connection (TCP RST) after the ClientHello", FailureKind.PEER_RESET),
    PLAINTEXT_SERVER("the port speaks SMTP, not TLS", FailureKind.NOT_TLS),
    NO_SHARED_CIPHER("the client pins a suite the server does not have", FailureKind.NO_SHARED_CIPHER),
    SNI_REJECTED("the server does not serve the name sent as SNI", FailureKind.ALERT),
    UNKNOWN_CA("the chain leads to a CA the client does not trust", FailureKind.CERTIFICATE_UNTRUSTED),
    SELF_SIGNED_LEAF("the server's certificate is self-signed", FailureKind.CERTIFICATE_UNTRUSTED),
    SELF_SIGNED_ROOT_IN_CHAIN("the server sends its untrusted root in the chain", FailureKind.CERTIFICATE_UNTRUSTED),
    EXPIRED("the server's certificate has expired", FailureKind.CERTIFICATE_EXPIRED),
    NOT_YET_VALID("the server's certificate is not valid yet", FailureKind.CERTIFICATE_NOT_YET_VALID),
    WRONG_HOST("the certificate is for another host", FailureKind.HOSTNAME_MISMATCH),
    WEAK_SIGNATURE("the certificate is signed with MD5withRSA", FailureKind.CERTIFICATE_UNTRUSTED),
    CERTIFICATE_ALTERED("a bit of the server's certificate was flipped after it was signed", FailureKind.ALTERED_IN_TRANSIT),
    RECORD_ALTERED("a bit of the server's encrypted TLS 1.3 records is flipped on the way", FailureKind.ALTERED_IN_TRANSIT),
    /**
     * Over TLS 1.2. In TLS 1.3 the client's handshake is complete before the server judges its
     * (empty) certificate, so the server's certificate_required alert arrives on the first read.
     */
    CLIENT_CERTIFICATE_MISSING("the server requires a client certificate; none is configured (TLS 1.2)",
            FailureKind.CLIENT_CERTIFICATE_REQUIRED),
    SILENT_SERVER("the server accepts the connection and never answers", FailureKind.TIMEOUT);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String description;
    private final FailureKind expected;

    Situation(String description, FailureKind expected) {
        this.description = description;
        this.expected = expected;
    }

    public String description() {
        return description;
    }

    public FailureKind expected() {
        return expected;
    }

    /** False when the backend cannot even make the attempt (it cannot offer TLS 1.0, say). */
    public boolean appliesTo(TlsBackend backend) {
        return this != SERVER_WANTS_NEWER_THAN_OFFERED || backend.capabilities().supports(TlsVersion.TLS_1_0);
    }

    /**
     * Runs this situation against {@code backend} and returns the failure it reported.
     *
     * @throws AssertionError when the upgrade succeeded
     */
    public TlsUpgradeException provoke(TlsBackend backend) throws IOException {
        return provoke(backend, Route.SOCKET);
    }

    /** How the client reaches the server: core's socket, or core's engine driven by {@link EngineDriver}. */
    public enum Route {
        SOCKET,
        ENGINE
    }

    /**
     * The kind a client sees by {@code route}. An engine never sees the connection, only what its
     * driver reports: a reset reaches it as the end of the input, like a close.
     */
    public FailureKind expected(Route route) {
        return route == Route.ENGINE && this == RESET_AFTER_CLIENT_HELLO ? FailureKind.PEER_CLOSED : expected;
    }

    /** As {@link #provoke(TlsBackend)}, by {@code route}. */
    public TlsUpgradeException provoke(TlsBackend backend, Route route) throws IOException {
        TlsClientConfig.Builder config = TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem())
                .handshakeTimeout(TIMEOUT);
        switch (this) {
            case SERVER_SPEAKS_ONLY_TLS_1_0:
                try (OpenSslServer s = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
                    return attempt(route, backend, config, s.port(), "localhost");
                }
            case SERVER_WANTS_NEWER_THAN_OFFERED:
                try (JsseTestServer s = JsseTestServer.builder().start()) {
                    return attempt(route, backend, config.protocols(TlsVersion.TLS_1_0).allowLegacyProtocols(), s.port(), "localhost");
                }
            case CLOSED_AFTER_CLIENT_HELLO:
                try (RawPeer p = RawPeer.start(RawPeer.Behaviour.CLOSE_AFTER_HELLO)) {
                    return attempt(route, backend, config, p.port(), "localhost");
                }
            case RESET_AFTER_CLIENT_HELLO:
                try (RawPeer p = RawPeer.start(RawPeer.Behaviour.RESET_AFTER_HELLO)) {
                    return attempt(route, backend, config, p.port(), "localhost");
                }
            case PLAINTEXT_SERVER:
                try (RawPeer p = RawPeer.start(RawPeer.Behaviour.SMTP_BANNER)) {
                    return attempt(route, backend, config, p.port(), "localhost");
                }
            case NO_SHARED_CIPHER:
                try (OpenSslServer s = OpenSslServer.builder().version(TlsVersion.TLS_1_2)
                        .cipher("ECDHE-RSA-AES256-GCM-SHA384").start()) {
                    return attempt(route, backend, config.protocols(TlsVersion.TLS_1_2)
                            .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), s.port(), "localhost");
                }
            case SNI_REJECTED:
                try (OpenSslServer s = OpenSslServer.builder().requireSni("localhost").start()) {
                    return attempt(route, backend, config.serverName("tls.example.test"), s.port(), "127.0.0.1");
                }
            case UNKNOWN_CA:
                try (JsseTestServer s = JsseTestServer.builder().start()) {
                    return attempt(route, backend, TlsClientConfig.builder().handshakeTimeout(TIMEOUT), s.port(), "localhost");
                }
            case SELF_SIGNED_LEAF:
                return againstJsse(route, backend, config, TestPki.get().selfSigned());
            case SELF_SIGNED_ROOT_IN_CHAIN:
                try (OpenSslServer s = OpenSslServer.builder().identity(TestPki.get().rootInChain()).start()) {
                    return attempt(route, backend, TlsClientConfig.builder().handshakeTimeout(TIMEOUT), s.port(), "localhost");
                }
            case EXPIRED:
                return againstJsse(route, backend, config, TestPki.get().expired());
            case NOT_YET_VALID:
                return againstJsse(route, backend, config, TestPki.get().notYetValid());
            case WRONG_HOST:
                return againstJsse(route, backend, config, TestPki.get().wrongHost());
            case WEAK_SIGNATURE:
                return againstJsse(route, backend, config, TestPki.get().weakSignature());
            case CERTIFICATE_ALTERED:
                return againstJsse(route, backend, config, TestPki.get().alteredSignature());
            case RECORD_ALTERED:
                try (OpenSslServer s = OpenSslServer.builder().version(TlsVersion.TLS_1_3).start()) {
                    return throughFlip(route, backend, config.sessionResumption(false), s.port());
                }
            case CLIENT_CERTIFICATE_MISSING:
                try (OpenSslServer s = OpenSslServer.builder().version(TlsVersion.TLS_1_2)
                        .requireClientCertificate(TestPki.get().caPem()).start()) {
                    return attempt(route, backend, config, s.port(), "localhost");
                }
            case SILENT_SERVER:
                try (RawPeer p = RawPeer.start(RawPeer.Behaviour.SILENT)) {
                    return attempt(route, backend, config.handshakeTimeout(Duration.ofMillis(500)), p.port(), "localhost");
                }
            default:
                throw new AssertionError(this);
        }
    }

    /** A handshake through a {@link FaultProxy} that flips a bit in the middle of the server's first encrypted record. */
    private static TlsUpgradeException throughFlip(Route route, TlsBackend backend, TlsClientConfig.Builder config, int port)
            throws IOException {
        byte[] clean;
        try (TlsUpgrader upgrader = backend.newUpgrader(config.build());
                FaultProxy proxy = FaultProxy.start(port, FaultProxy.Plan.none());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), proxy.port()), "localhost", proxy.port())) {
            tls.setSoTimeout(5000);
            Echo.roundTrip(tls, "ping");
            clean = proxy.sent(FaultProxy.Direction.TO_CLIENT);
        }
        int offset = FaultProxy.recordStarts(clean).stream().filter(r -> clean[r] == 23).findFirst()
                .map(r -> r + 5 + (((clean[r + 3] & 0xff) << 8) | (clean[r + 4] & 0xff)) / 2)
                .orElseThrow(() -> new AssertionError("the server sent no encrypted record"));
        try (FaultProxy proxy = FaultProxy.start(port, FaultProxy.Plan.flip(FaultProxy.Direction.TO_CLIENT, offset, 3))) {
            return attempt(route, backend, config, proxy.port(), "localhost");
        }
    }

    private static TlsUpgradeException againstJsse(Route route, TlsBackend backend, TlsClientConfig.Builder config, Identity id)
            throws IOException {
        try (JsseTestServer s = JsseTestServer.builder().identity(id).start()) {
            return attempt(route, backend, config, s.port(), "localhost");
        }
    }

    private static TlsUpgradeException attempt(Route route, TlsBackend backend, TlsClientConfig.Builder config, int port,
            String host) throws IOException {
        try (TlsUpgrader upgrader = backend.newUpgrader(config.build())) {
            Socket plain = Loopback.connect(Loopback.v4(), port);
            if (route == Route.ENGINE) {
                javax.net.ssl.SSLEngine engine = upgrader.sslContext().createSSLEngine(host, port);
                try (EngineDriver driver = new EngineDriver(engine, plain, EngineDriver.Feeding.WHOLE,
                        engine.getSession().getPacketBufferSize(), false, Duration.ofSeconds(2))) {
                    driver.handshake();
                    throw new AssertionError(backend.name() + " engine finished its handshake: "
                            + engine.getSession().getProtocol());
                } catch (IOException e) {
                    TlsUpgradeException explained = TlsUpgradeException.find(e).orElseThrow(() ->
                            new AssertionError("the engine's failure carries no explanation: " + e, e));
                    if (!e.getMessage().equals(explained.getMessage())) {
                        throw new AssertionError("the engine's SSLException does not say what core explained: " + e, e);
                    }
                    return explained;
                }
            }
            try (SSLSocket tls = upgrader.upgrade(plain, host, port)) {
                throw new AssertionError(backend.name() + " upgraded successfully: " + tls.getSession().getProtocol());
            } catch (TlsUpgradeException e) {
                return e;
            }
        }
    }
}
