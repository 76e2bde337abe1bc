package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine asynchronous clients get from {@link TlsUpgrader#sslContext()}, the same on every
 * backend: driven as event loops drive engines (bytes whole, one at a time or in fragments, buffers
 * that grow, tasks on another thread, wrap and unwrap on two threads), with the JDK's own engine on
 * the same driver as the reference; the socket's rules (SNI, host names, narrowing, no
 * renegotiation) and the socket's explained failures. Each backend module runs it through a
 * one-line subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class EngineContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The order of core's default suites (its suite policy), the same whatever the backend. */
    private static final List<String> POLICY_ORDER = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");

    /** The backend under test, e.g. {@code "jsse"}. */
    protected abstract String backendName();

    /** Whose engine the driver runs: core's over the backend, or the JDK's as the reference. */
    enum Maker {
        BACKEND,
        JDK
    }

    private TlsBackend backend() {
        return TlsBackends.get(backendName());
    }

    private TlsUpgrader upgrader() {
        return backend().newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem())
                .handshakeTimeout(WAIT).build());
    }

    private static SSLEngine engine(Maker maker, TlsUpgrader upgrader, String host, int port) throws Exception {
        if (maker == Maker.BACKEND) {
            return upgrader.sslContext().createSSLEngine(host, port);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestPki.get().root().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext jdk = SSLContext.getInstance("TLS", "SunJSSE");
        jdk.init(null, tmf.getTrustManagers(), null);
        SSLEngine e = jdk.createSSLEngine(host, port);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(host)));
        e.setSSLParameters(p);
        return e;
    }

    static List<Arguments> feedings() {
        List<Arguments> all = new java.util.ArrayList<>();
        for (Maker m : Maker.values()) {
            for (EngineDriver.Feeding f : EngineDriver.Feeding.values()) {
                for (TlsVersion v : List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3)) {
                    all.add(Arguments.of(m, f, v));
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("feedings")
    void dataCrossesHoweverTheBytesArrive(Maker maker, EngineDriver.Feeding feeding, TlsVersion version) throws Exception {
        boolean tiny = feeding != EngineDriver.Feeding.WHOLE;
        try (JsseTestServer server = JsseTestServer.builder().protocols(version.jsseName()).start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = engine(maker, upgrader, "localhost", server.port());
            try (EngineDriver driver = new EngineDriver(engine, Loopback.connect(Loopback.v4(), server.port()), feeding,
                    tiny ? 1 : engine.getSession().getPacketBufferSize(), feeding == EngineDriver.Feeding.RANDOM)) {
                driver.handshake();
                byte[] data = new byte[tiny ? 3_000 : 100_000];
                new Random(1).nextBytes(data);
                driver.write(data);
                assertThat(driver.read(data.length)).isEqualTo(data);
                assertThat(engine.getSession().getProtocol()).isEqualTo(version.jsseName());
                if (tiny) {
                    assertThat(driver.overflows()).as("BUFFER_OVERFLOW answered").isPositive();
                    assertThat(driver.underflows()).as("BUFFER_UNDERFLOW answered").isPositive();
                }
                if (maker == Maker.BACKEND) {
                    TlsHandshakeInfo info = TlsHandshakeInfo.of(engine).orElseThrow();
                    assertThat(info.version()).isEqualTo(version);
                    assertThat(info.backend()).isEqualTo(backendName());
                    assertThat(info.sniHostName()).contains("localhost");
                    assertThat(server.nextConnection(WAIT).sni()).contains("localhost");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Maker.class)
    void wrapAndUnwrapRunOnTwoThreadsAtOnce(Maker maker) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = engine(maker, upgrader, "localhost", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                byte[] data = new byte[1 << 20];
                new Random(2).nextBytes(data);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (int off = 0; off < data.length; off += 8192) {
                            driver.write(Arrays.copyOfRange(data, off, off + 8192));
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                assertThat(driver.read(data.length)).isEqualTo(data);
                writer.get(30, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Maker.class)
    void closeNotifyGoesBothWays(Maker maker) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = engine(maker, upgrader, "localhost", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                driver.write("ping".getBytes());
                assertThat(driver.read(4)).isEqualTo("ping".getBytes());
                driver.closeOutbound();
                assertThat(engine.isOutboundDone()).isTrue();
                assertThat(driver.wrapNothing().getStatus()).isEqualTo(SSLEngineResult.Status.CLOSED);
                // The server reads our close_notify as the end of its input and closes with its own. Engines that
                // read on after their own close_notify (JDK, jsse, conscrypt) unwrap it; tcnative on TLS 1.3 and
                // Bouncy Castle end both sides with their close_notify, so the connection simply ends.
                boolean unwrapped = driver.awaitCloseNotify();
                if (maker == Maker.JDK || List.of("jsse", "conscrypt").contains(backendName())) {
                    assertThat(unwrapped).as("the server's close_notify was unwrapped").isTrue();
                    assertThat(engine.isInboundDone()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Maker.class)
    void closingOutboundDuringTheHandshakeEndsIt(Maker maker) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = engine(maker, upgrader, "localhost", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                engine.beginHandshake();
                // java.net.http wraps an empty array during the handshake
                assertThat(engine.wrap(new ByteBuffer[0], ByteBuffer.allocate(engine.getSession().getPacketBufferSize()))
                        .bytesProduced()).as("the ClientHello").isPositive();
                driver.closeOutbound();
                assertThat(engine.isOutboundDone()).isTrue();
                assertThat(driver.wrapNothing().getStatus()).isEqualTo(SSLEngineResult.Status.CLOSED);
            }
        }
    }

    @Test
    void afterTheHandshakeBeginHandshakeAndSettingsChangeNothing() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                assertThat(engine.getSession().getProtocol()).isEqualTo("TLSv1.3");
                engine.beginHandshake();
                SSLEngineResult r = driver.wrapNothing();
                assertThat(r.bytesProduced()).as("bytes wrapped after beginHandshake()").isZero();
                assertThat(r.getHandshakeStatus()).isEqualTo(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING);
                engine.setEnabledProtocols(new String[] {"TLSv1.3"});
                assertThatThrownBy(() -> engine.setEnabledProtocols(new String[] {"TLSv1.2"}))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("renegotiate");
                driver.write("still".getBytes());
                assertThat(driver.read(5)).isEqualTo("still".getBytes());
                // the server's listener runs on a thread of its own: wait for it, then count
                for (int i = 0; i < 100 && server.handshakesCompleted() == 0; i++) {
                    Thread.sleep(20);
                }
                assertThat(server.handshakesCompleted()).as("handshakes the server completed").isEqualTo(1);
            }
        }
    }

    @Test
    void whatAClientSetsBeforeTheHandshakeNarrowsAndNeverWidens() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", server.port());
            assertThatThrownBy(() -> engine.setEnabledProtocols(new String[] {"TLSv1"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowLegacyProtocols()");
            assertThatThrownBy(() -> engine.setUseClientMode(false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("client");
            engine.setEnabledProtocols(new String[] {"TLSv1.2"});
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                assertThat(engine.getSession().getProtocol()).isEqualTo("TLSv1.2");
            }
        }
    }

    @Test
    void turningEndpointIdentificationOffDoesNotStopTheHostNameCheck() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", server.port());
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm(null);
            engine.setSSLParameters(p);
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                SSLHandshakeException e = org.assertj.core.api.Assertions.catchThrowableOfType(driver::handshake,
                        SSLHandshakeException.class);
                assertThat(TlsUpgradeException.find(e).orElseThrow().kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH);
            }
        }
    }

    @Test
    void anIpLiteralGetsNoSni() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().ipOnly()).start();
                TlsUpgrader upgrader = upgrader()) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("127.0.0.1", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                assertThat(server.nextConnection(WAIT).sni()).isEmpty();
                assertThat(TlsHandshakeInfo.of(engine).orElseThrow().sniHostName()).isEmpty();
            }
        }
    }

    @Test
    void anEngineNobodyDrivesPastTheDeadlineFailsWithTimeout() throws Exception {
        try (RawPeer silent = RawPeer.start(RawPeer.Behaviour.SILENT);
                TlsUpgrader upgrader = backend().newUpgrader(TlsClientConfig.builder()
                        .trustedCertificates(TestPki.get().caPem()).handshakeTimeout(Duration.ofMillis(300)).build())) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", silent.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), silent.port()))) {
                engine.beginHandshake();
                driver.wrapNothing();
                Thread.sleep(400);
                ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                SSLException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                        () -> engine.unwrap(ByteBuffer.allocate(0), app), SSLException.class);
                TlsUpgradeException explained = TlsUpgradeException.find(e).orElseThrow();
                assertThat(explained.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(e.getMessage()).isEqualTo(explained.getMessage());
            }
        }
    }

    /**
     * An engine never contradicts itself: right after a call, its status is what the call's result
     * said, so a client may follow either (java.net.http follows the status). tcnative's engine
     * wrapped the alert of a refused certificate, said NEED_WRAP, then said NEED_UNWRAP and threw
     * only on a further call; java.net.http, holding no unoffered bytes, waited for the server
     * and timed out ("HTTP connect timed out") instead of reporting the refusal.
     */
    @Test
    void aRefusedCertificateIsThrownWhileTheEngineSaysWhatItNeeds() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = backend().newUpgrader(TlsClientConfig.builder().handshakeTimeout(WAIT).build());
                java.net.Socket socket = Loopback.connect(Loopback.v4(), server.port())) {
            socket.setSoTimeout(2_000);
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", server.port());
            ByteBuffer in = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4).flip();
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            ByteBuffer[] nothing = {ByteBuffer.allocate(0)};
            List<String> steps = new java.util.ArrayList<>();
            engine.beginHandshake();
            boolean underflow = false;
            SSLException thrown = null;
            try {
                for (int step = 0; step < 1_000; step++) {
                    HandshakeStatus hs = engine.getHandshakeStatus();
                    SSLEngineResult r;
                    if (hs == HandshakeStatus.NEED_TASK) {
                        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                            task.run();
                        }
                        steps.add("tasks");
                        continue;
                    } else if (hs == HandshakeStatus.NEED_WRAP) {
                        out.clear();
                        r = engine.wrap(nothing, out);
                        socket.getOutputStream().write(out.array(), 0, out.position());
                    } else if (hs == HandshakeStatus.NEED_UNWRAP) {
                        if (underflow || !in.hasRemaining()) {
                            Thread.sleep(100); // the server's whole flight in hand, as nginx sends it in one write
                            in.compact();
                            int n = socket.getInputStream().read(in.array(), in.position(), in.remaining());
                            in.flip();
                            assertThat(n).as("the server's bytes after %s", steps).isPositive();
                            in.limit(in.limit() + n);
                            steps.add("read " + n);
                        }
                        r = engine.unwrap(in, app);
                        underflow = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW;
                    } else {
                        break;
                    }
                    steps.add((hs == HandshakeStatus.NEED_WRAP ? "wrap " : "unwrap ") + r.getStatus() + " "
                            + r.getHandshakeStatus() + " " + r.bytesConsumed() + "/" + r.bytesProduced());
                    if (r.getHandshakeStatus() != HandshakeStatus.FINISHED) {
                        assertThat(engine.getHandshakeStatus()).as("the status right after %s", steps)
                                .isEqualTo(r.getHandshakeStatus());
                    }
                }
            } catch (SSLException e) {
                thrown = e;
            }
            SSLException failure = thrown;
            assertThat(failure).as("no failure after %s", steps).isNotNull();
            TlsUpgradeException explained = TlsUpgradeException.find(failure).orElseThrow(() -> new AssertionError(failure));
            assertThat(explained.kind()).as(explained.getMessage()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
            out.clear();
            SSLEngineResult alert = engine.wrap(nothing, out);
            assertThat(alert.bytesProduced()).as("the alert that tells the server, after %s", steps).isPositive();
            assertThat(alert.getStatus()).isEqualTo(SSLEngineResult.Status.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Situation.class)
    void everySituationIsExplainedThroughTheEngineAsOnTheSocket(Situation situation) throws Exception {
        TlsBackend backend = backend();
        assumeTrue(situation.appliesTo(backend), () -> backendName() + " cannot make this attempt");
        TlsUpgradeException e = situation.provoke(backend, Situation.Route.ENGINE);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(situation.expected(Situation.Route.ENGINE));
        assertThat(e.backend()).isEqualTo(backendName());
        assertThat(e.hint()).isNotBlank();
    }

    @Test
    void theContextIsAClientContextWithTheConfigsParameters() throws Exception {
        try (TlsUpgrader upgrader = upgrader()) {
            SSLContext context = upgrader.sslContext();
            context.init(null, null, null);
            assertThatThrownBy(() -> context.init(null, new javax.net.ssl.TrustManager[] {upgrader.trustManager()}, null))
                    .isInstanceOf(java.security.KeyManagementException.class).hasMessageContaining("TlsClientConfig");
            SSLParameters defaults = context.getDefaultSSLParameters();
            assertThat(defaults.getProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
            // core's suite policy in its order on every backend (each offers the part it supports), as its sockets do
            List<String> suites = List.of(defaults.getCipherSuites());
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) upgrader.socketFactory().createSocket()) {
                assertThat(suites).isNotEmpty().isSubsetOf(POLICY_ORDER)
                        .isSortedAccordingTo(java.util.Comparator.comparingInt(POLICY_ORDER::indexOf))
                        .containsExactly(context.createSSLEngine("localhost", 443).getEnabledCipherSuites())
                        .containsExactly(socket.getEnabledCipherSuites());
            }
            assertThat(context.getSupportedSSLParameters().getProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
            assertThatThrownBy(context::getServerSocketFactory).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("client");
            assertThat(context.getSocketFactory().getClass()).isEqualTo(upgrader.socketFactory().getClass());
            assertThatThrownBy(() -> context.createSSLEngine("https://localhost/", 443))
                    .isInstanceOf(IllegalArgumentException.class);

            java.security.Provider provider = upgrader.provider();
            assertThat(Security.getProvider(provider.getName())).as("installed JVM-wide").isNull();
            SSLContext viaProvider = SSLContext.getInstance("TLS", provider);
            viaProvider.init(null, null, null);
            assertThat(viaProvider.createSSLEngine("localhost", 443).getClass())
                    .isEqualTo(context.createSSLEngine("localhost", 443).getClass());
        }
    }

    /** The config reaches the wire through the engine as through the socket: client certificate, ALPN, listener. */
    @Test
    void theConfigsClientCertificateAlpnAndListenerWorkThroughTheEngine() throws Exception {
        assumeTrue(backend().capabilities().has(dev.tlsupgrade.TlsFeature.CLIENT_CERTIFICATES)
                && backend().capabilities().has(dev.tlsupgrade.TlsFeature.ALPN));
        Identity client = TestPki.get().client();
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.tlsupgrade.TlsHandshakeListener listener = new dev.tlsupgrade.TlsHandshakeListener() {
            @Override
            public void started(String backend, String host, java.net.InetSocketAddress address) {
                events.add("started " + backend + " " + host);
            }

            @Override
            public void succeeded(TlsHandshakeInfo info) {
                events.add("succeeded " + info.version());
            }
        };
        try (JsseTestServer server = JsseTestServer.builder().alpn("h2", "http/1.1")
                .requireClientCertificate(TestPki.get().root().certificate()).start();
                TlsUpgrader upgrader = backend().newUpgrader(TlsClientConfig.builder()
                        .trustedCertificates(TestPki.get().caPem()).clientCertificate(client.certificatePem(), client.keyPem())
                        .alpn("h2", "http/1.1").listener(listener).handshakeTimeout(WAIT).build())) {
            SSLEngine engine = upgrader.sslContext().createSSLEngine("localhost", server.port());
            try (EngineDriver driver = EngineDriver.over(engine, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                assertThat(engine.getApplicationProtocol()).isEqualTo("h2");
                JsseTestServer.Connection seen = server.nextConnection(WAIT);
                assertThat(seen.clientCertificate()).contains(client.certificate());
                assertThat(seen.applicationProtocol()).isEqualTo("h2");
                assertThat(events).containsExactly("started " + backendName() + " localhost", "succeeded TLSv1.3");
            }
        }
    }

    /** A pinned self-signed server is reached through the engine; an unpinned one is refused. */
    @Test
    void pinsDecideThroughTheEngine() throws Exception {
        Identity self = TestCertificate.builder("CN=device").selfSigned().build("engine-self-signed");
        byte[] key = java.security.MessageDigest.getInstance("SHA-256").digest(self.certificate().getPublicKey().getEncoded());
        String pin = "sha256/" + java.util.Base64.getEncoder().encodeToString(key);
        try (JsseTestServer server = JsseTestServer.builder().identity(self).start();
                TlsUpgrader pinned = backend().newUpgrader(TlsClientConfig.builder().pinnedCertificates(pin)
                        .handshakeTimeout(WAIT).build());
                TlsUpgrader trusting = upgrader()) {
            SSLEngine good = pinned.sslContext().createSSLEngine("device01", server.port());
            try (EngineDriver driver = EngineDriver.over(good, Loopback.connect(Loopback.v4(), server.port()))) {
                driver.handshake();
                assertThat(good.getSession().getPeerCertificates()[0]).isEqualTo(self.certificate());
            }
            SSLEngine refused = trusting.sslContext().createSSLEngine("device01", server.port());
            try (EngineDriver driver = EngineDriver.over(refused, Loopback.connect(Loopback.v4(), server.port()))) {
                SSLHandshakeException e = org.assertj.core.api.Assertions.catchThrowableOfType(driver::handshake,
                        SSLHandshakeException.class);
                assertThat(TlsUpgradeException.find(e).orElseThrow().kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
            }
        }
    }
}
