package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The socket users get, the same on every backend: the standard {@code SSLSocket} lifecycle that
 * real clients (pgjdbc, Angus Mail, Paho, OkHttp) call, on sockets from {@code upgrade(...)} and from
 * {@link TlsUpgrader#socketFactory()}; and {@link TlsUpgrader#trustManager()}. Each backend module
 * runs it through a one-line subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class SocketContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The backend under test, e.g. {@code "jsse"}. */
    protected abstract String backendName();

    private TlsBackend backend() {
        return TlsBackends.get(backendName());
    }

    private TlsClientConfig.Builder trusting() {
        return TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).handshakeTimeout(WAIT);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TlsVersion.class, names = {"TLS_1_2", "TLS_1_3"})
    void afterTheHandshakeTheStandardLifecycleSendsNothingAndChangesNothing(TlsVersion version) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().protocols(version.jsseName()).start();
                RecordingProxy proxy = new RecordingProxy(server.port());
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), proxy.port()), "localhost", proxy.port())) {
            assertThat(Echo.roundTrip(tls, "before")).isEqualTo("before");
            int sent = proxy.clientBytes().length;
            // What pgjdbc, Angus Mail and OkHttp call on the socket they are given.
            tls.setUseClientMode(true);
            tls.startHandshake();
            tls.setEnabledProtocols(tls.getEnabledProtocols());
            tls.setEnabledProtocols(new String[] {version.jsseName()});
            tls.setEnabledCipherSuites(tls.getEnabledCipherSuites());
            tls.setEnabledCipherSuites(new String[] {tls.getSession().getCipherSuite()});
            tls.setSSLParameters(tls.getSSLParameters());
            tls.startHandshake();
            Thread.sleep(200);
            assertThat(proxy.clientBytes().length).as("bytes the client sent after the lifecycle calls").isEqualTo(sent);
            assertThat(Echo.roundTrip(tls, "after")).isEqualTo("after");
            assertThat(tls.getSession().getProtocol()).isEqualTo(version.jsseName());
            assertThat(server.handshakesCompleted()).as("handshakes the server completed").isEqualTo(1);
        }
    }

    @Test
    void settingsThatWouldNeedANewHandshakeAreRefused() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThatThrownBy(() -> tls.setEnabledProtocols(new String[] {"TLSv1.2"}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLSv1.3").hasMessageContaining("renegotiate");
            String other = List.of(tls.getEnabledCipherSuites()).stream()
                    .filter(s -> !s.equals(tls.getSession().getCipherSuite())).findFirst().orElseThrow();
            assertThatThrownBy(() -> tls.setEnabledCipherSuites(new String[] {other}))
                    .isInstanceOf(IllegalStateException.class);
            SSLParameters otherName = tls.getSSLParameters();
            otherName.setServerNames(List.of(new SNIHostName("tls.example.test")));
            assertThatThrownBy(() -> tls.setSSLParameters(otherName)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> tls.setUseClientMode(false)).isInstanceOf(IllegalArgumentException.class);
            assertThat(Echo.roundTrip(tls, "still")).isEqualTo("still");
        }
    }

    @Test
    void theSessionHandsOutX509CertificatesAndTheSniSent() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            SSLSession session = tls.getSession();
            // pgjdbc's sslmode=verify-full casts this array.
            X509Certificate[] chain = (X509Certificate[]) session.getPeerCertificates();
            assertThat(chain[0]).isEqualTo(TestPki.get().good().certificate());
            assertThat(session.getPeerPrincipal()).isEqualTo(chain[0].getSubjectX500Principal());
            assertThat(((javax.net.ssl.ExtendedSSLSession) session).getRequestedServerNames())
                    .containsExactly(new SNIHostName("localhost"));
            assertThat(tls.getUseClientMode()).isTrue();
        }
    }

    @Test
    void aLayeredFactorySocketAppliesWhatTheClientSetsBeforeItsHandshake() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().alpn("http/1.1").start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build())) {
            SSLSocketFactory factory = upgrader.socketFactory();
            Socket plain = Loopback.connect(Loopback.v4(), server.port());
            try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, "localhost", server.port(), true)) {
                tls.setUseClientMode(true);
                tls.setEnabledProtocols(new String[] {"TLSv1.2"});
                SSLParameters p = tls.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                tls.setSSLParameters(p);
                assertThat(TlsHandshakeInfo.of(tls)).as("no handshake before startHandshake()").isEmpty();
                tls.startHandshake();
                JsseTestServer.Connection seen = server.nextConnection(WAIT);
                assertThat(seen.protocol()).isEqualTo("TLSv1.2");
                assertThat(seen.applicationProtocol()).isEqualTo("http/1.1");
                assertThat(seen.sni()).contains("localhost");
                assertThat(tls.getApplicationProtocol()).isEqualTo("http/1.1");
                assertThat(TlsHandshakeInfo.of(tls).orElseThrow().backend()).isEqualTo(backendName());
                assertThat(Echo.roundTrip(tls, "layered")).isEqualTo("layered");
            }
            assertThat(plain.isClosed()).as("autoClose closes the plain socket").isTrue();
        }
    }

    @Test
    void anUnconnectedFactorySocketConnectsThenHandshakesOnTheFirstWrite() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                Socket tls = upgrader.socketFactory().createSocket()) {
            assertThat(tls.isConnected()).isFalse();
            tls.connect(new InetSocketAddress("localhost", server.port()), 5000);
            assertThat(Echo.roundTrip(tls, "paho")).isEqualTo("paho");
            assertThat(server.nextConnection(WAIT).sni()).contains("localhost");
            assertThat(TlsHandshakeInfo.of((SSLSocket) tls).orElseThrow().host()).isEqualTo("localhost");
        }
    }

    @Test
    void aFactorySocketByHostAndPortWorks() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = (SSLSocket) upgrader.socketFactory().createSocket("localhost", server.port())) {
            tls.startHandshake();
            assertThat(Echo.roundTrip(tls, "hostport")).isEqualTo("hostport");
        }
    }

    @Test
    void withoutAutoCloseThePlainSocketOutlivesTheTlsOne() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                Socket plain = Loopback.connect(Loopback.v4(), server.port())) {
            SSLSocket tls = (SSLSocket) upgrader.socketFactory().createSocket(plain, "localhost", server.port(), false);
            assertThat(Echo.roundTrip(tls, "x")).isEqualTo("x");
            tls.close();
            assertThat(tls.isClosed()).isTrue();
            assertThat(plain.isClosed()).isFalse();
        }
    }

    @Test
    void aClientCannotWidenTheConfig() throws Exception {
        try (TlsUpgrader upgrader = backend().newUpgrader(trusting().protocols(TlsVersion.TLS_1_2).build());
                SSLSocket tls = (SSLSocket) upgrader.socketFactory().createSocket()) {
            assertThatThrownBy(() -> tls.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.2"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLSv1")
                    .hasMessageContaining("allowLegacyProtocols()");
            assertThatThrownBy(() -> tls.setEnabledProtocols(new String[] {"TLSv1.3"}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tls.setEnabledCipherSuites(new String[] {"TLS_RSA_WITH_NULL_SHA"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS_RSA_WITH_NULL_SHA");
            assertThat(tls.getSupportedProtocols()).containsExactly("TLSv1.2");
            assertThat(tls.getEnabledCipherSuites()).isNotEmpty()
                    .isEqualTo(upgrader.socketFactory().getDefaultCipherSuites());
        }
    }

    @Test
    void aFactorySocketsFailedHandshakeIsExplained() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = (SSLSocket) upgrader.socketFactory().createSocket("localhost", server.port())) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, tls::startHandshake);
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH);
            assertThat(e.getMessage()).contains(backendName(), "localhost");
            assertThat(tls.isClosed()).isTrue();
            assertThat(tls.getSession().isValid()).isFalse();
        }
    }

    @Test
    void aReadTimeoutLeavesTheConnectionUsableAndCloseEndsIt() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            tls.setSoTimeout(300);
            long start = System.nanoTime();
            assertThatThrownBy(() -> tls.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(Echo.roundTrip(tls, "after a timeout")).isEqualTo("after a timeout");
            tls.close();
            assertThat(tls.isClosed()).isTrue();
            assertThatThrownBy(() -> tls.getInputStream().read()).isInstanceOf(java.net.SocketException.class);
            assertThatThrownBy(tls::startHandshake).isInstanceOf(java.net.SocketException.class);
        }
    }

    @Test
    void theHandshakeInfoCarriesWhatCredSspAndScramBindTo() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
            X509Certificate leaf = TestPki.get().good().certificate();
            byte[] subjectPublicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(leaf.getPublicKey()
                    .getEncoded()).getPublicKeyData().getBytes();
            assertThat(info.serverPublicKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(subjectPublicKey));
            assertThat(info.serverPublicKeyInfo()).hasValueSatisfying(k -> assertThat(k)
                    .isEqualTo(leaf.getPublicKey().getEncoded()));
            byte[] endPoint = java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
            assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
            assertThat(info.tlsServerEndPoint()).hasValueSatisfying(b -> assertThat(b).isEqualTo(endPoint));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = TlsVersion.class, names = {"TLS_1_2", "TLS_1_3"})
    void exportedKeyingMaterialIsWhatOpensslDerivesOrTheCapabilitySaysNo(TlsVersion version) throws Exception {
        boolean claimed = backend().capabilities().has(dev.tlsupgrade.TlsFeature.KEYING_MATERIAL_EXPORT);
        try (OpenSslServer server = OpenSslServer.builder().version(version).keyingMaterialExport("EXPERIMENTAL-tlsupgrade", 32)
                .start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().build());
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            if (!claimed) {
                assertThatThrownBy(() -> dev.tlsupgrade.KeyingMaterial.export(tls, "EXPERIMENTAL-tlsupgrade", null, 32))
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining(backendName());
                return;
            }
            byte[] ours = dev.tlsupgrade.KeyingMaterial.export(tls, "EXPERIMENTAL-tlsupgrade", null, 32);
            String theirs = null;
            for (int i = 0; i < 100 && theirs == null; i++) {
                theirs = server.snapshot().stream().filter(l -> l.contains("Keying material: ")).findFirst()
                        .map(l -> l.substring(l.indexOf("Keying material: ") + "Keying material: ".length()).trim())
                        .orElse(null);
                if (theirs == null) {
                    Thread.sleep(50);
                }
            }
            assertThat(java.util.HexFormat.of().withUpperCase().formatHex(ours)).as("s_server's export").isEqualTo(theirs);
            assertThat(dev.tlsupgrade.KeyingMaterial.tlsExporter(tls)).hasSize(32).isNotEqualTo(ours);
        }
    }

    /**
     * 200 upgrades at once through one upgrader: each gets its own session and its own echo, none
     * fails, none waits for another beyond the server's pace.
     */
    @Test
    void twoHundredUpgradesAtOnceThroughOneUpgraderAllSucceed() throws Exception {
        int clients = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                TlsUpgrader upgrader = backend().newUpgrader(trusting().handshakeTimeout(Duration.ofSeconds(40)).build())) {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String line = "client " + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                            server.port())) {
                        tls.setSoTimeout(20_000);
                        String echoed = Echo.roundTrip(tls, line);
                        return echoed.equals(line) ? "ok" : line + " got '" + echoed + "'";
                    }
                }));
            }
            go.countDown();
            List<String> wrong = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<String> answer : answers) {
                try {
                    String a = answer.get(50, java.util.concurrent.TimeUnit.SECONDS);
                    if (!a.equals("ok")) {
                        wrong.add(a);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    wrong.add(String.valueOf(e.getCause()));
                }
            }
            assertThat(wrong).as("of " + clients + " concurrent upgrades").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Handshakes through one upgrader overlap: a front holds every ClientHello until eight have
     * arrived, so upgrades that ran one at a time (a lock around the handshake) would never get past
     * the first, which the front then closes.
     */
    @Test
    void handshakesThroughOneUpgraderOverlap() throws Exception {
        int clients = 8;
        java.util.concurrent.CountDownLatch hellos = new java.util.concurrent.CountDownLatch(clients);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try (JsseTestServer server = JsseTestServer.builder().unrecorded().start();
                HelloGate front = new HelloGate(server.port(), hello -> {
                    hellos.countDown();
                    try {
                        return hellos.await(10, java.util.concurrent.TimeUnit.SECONDS) ? HelloGate.Answer.FORWARD
                                : HelloGate.Answer.CLOSE;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return HelloGate.Answer.CLOSE;
                    }
                });
                TlsUpgrader upgrader = backend().newUpgrader(trusting().handshakeTimeout(Duration.ofSeconds(20)).build())) {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String line = "overlap " + i;
                answers.add(pool.submit(() -> {
                    try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), front.port()), "localhost",
                            front.port())) {
                        tls.setSoTimeout(10_000);
                        return Echo.roundTrip(tls, line).equals(line) ? "ok" : line + " echoed wrong";
                    }
                }));
            }
            for (java.util.concurrent.Future<String> answer : answers) {
                assertThat(answer.get(40, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
            }
            assertThat(hellos.getCount()).as("every ClientHello was in flight at once").isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTrustManagerIsTheUpgradersDecision() throws Exception {
        X509Certificate[] good = TestPki.get().good().chain().toArray(new X509Certificate[0]);
        X509Certificate[] wrong = TestPki.get().wrongHost().chain().toArray(new X509Certificate[0]);
        X509Certificate[] selfSigned = TestPki.get().selfSigned().chain().toArray(new X509Certificate[0]);
        try (TlsUpgrader named = backend().newUpgrader(trusting().serverName("localhost").build());
                TlsUpgrader unnamed = backend().newUpgrader(trusting().build())) {
            X509TrustManager tm = named.trustManager();
            tm.checkServerTrusted(good, "ECDHE_RSA");
            assertThatThrownBy(() -> tm.checkServerTrusted(wrong, "ECDHE_RSA"))
                    .isInstanceOf(CertificateException.class).hasMessageContaining("wrong.example.test");
            assertThatThrownBy(() -> tm.checkServerTrusted(selfSigned, "ECDHE_RSA"))
                    .isInstanceOf(CertificateException.class).hasMessageContaining("self-signed");
            assertThat(tm.getAcceptedIssuers()).contains(TestPki.get().root().certificate());
            assertThatThrownBy(() -> unnamed.trustManager().checkServerTrusted(good, "ECDHE_RSA"))
                    .isInstanceOf(CertificateException.class).hasMessageContaining("serverName(");
        }
    }
}
