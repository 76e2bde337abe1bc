package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.HandshakeStage;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsHandshakeListener;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.preamble.Preamble;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every backend owes its users, run by each backend module through a one-line
 * subclass. Expectations come from the backend's own {@link Capabilities}: a version it claims must
 * work against a real server, a version it does not claim must be refused before any byte.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class BackendContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The backend under test, e.g. {@code "jsse"}. */
    protected abstract String backendName();

    protected final TlsBackend backend() {
        return TlsBackends.get(backendName());
    }

    protected final TlsClientConfig.Builder trustingTestCa() {
        return TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).handshakeTimeout(WAIT);
    }

    protected final SSLSocket upgrade(TlsClientConfig config, InetAddress address, int port, String host) throws IOException {
        try (TlsUpgrader upgrader = backend().newUpgrader(config)) {
            return upgrader.upgrade(Loopback.connect(address, port), host, port);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsVersion.class)
    void everyClaimedVersionWorksAgainstOpensslPinnedToIt(TlsVersion version) throws Exception {
        assumeTrue(backend().capabilities().supports(version), () -> backendName() + " does not claim " + version);
        TlsClientConfig.Builder config = trustingTestCa().protocols(version);
        if (version.isLegacy()) {
            config.allowLegacyProtocols();
        }
        try (OpenSslServer server = OpenSslServer.builder().version(version).start();
                SSLSocket tls = upgrade(config.build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "tlsupgrade")).isEqualTo(new StringBuilder("tlsupgrade").reverse().toString());
            TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
            assertThat(info.version()).isEqualTo(version);
            assertThat(tls.getSession().getProtocol()).isEqualTo(version.jsseName());
            assertThat(info.backend()).isEqualTo(backendName());
            assertThat(info.peerCertificates().get(0)).isEqualTo(TestPki.get().good().certificate());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsVersion.class)
    void everyUnclaimedVersionIsRefusedBeforeAnyConnection(TlsVersion version) {
        VersionSupport support = backend().capabilities().versionSupport(version);
        assumeTrue(support != VersionSupport.SUPPORTED, () -> backendName() + " claims " + version);
        TlsClientConfig.Builder config = TlsClientConfig.builder().protocols(version);
        if (version.isLegacy()) {
            config.allowLegacyProtocols();
        }
        assertThatThrownBy(() -> backend().newUpgrader(config.build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(backendName())
                .hasMessageContaining(version.jsseName())
                .hasMessageContaining(support == VersionSupport.NEEDS_GLOBAL_OPT_IN
                        ? backend().capabilities().globalOptIn().orElseThrow() : "not at all");
    }

    @Test
    void legacyVersionsNeedAnExplicitAllowance() {
        assertThatThrownBy(() -> TlsClientConfig.builder().protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowLegacyProtocols()");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void modernVersionsAgainstAnInProcessJsseServer(String protocol) throws Exception {
        TlsVersion version = TlsVersion.fromJsseName(protocol).orElseThrow();
        assumeTrue(backend().capabilities().supports(version));
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "ping")).isEqualTo("ping");
            assertThat(server.nextConnection(WAIT).protocol()).isEqualTo(protocol);
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().version()).isEqualTo(version);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost", "tls.example.test"})
    void sniIsSentForEveryHostNameIncludingSingleLabelOnes(String host) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), host)) {
            assertThat(server.nextConnection(WAIT).sni()).contains(host);
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().sniHostName()).contains(host);
        }
    }

    @Test
    void opensslServerRequiringSniAcceptsOurName() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().requireSni("localhost").start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "abc")).isEqualTo("cba");
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().peerCertificates().get(0))
                    .as("the certificate s_server serves only when the SNI matched")
                    .isEqualTo(TestPki.get().rootIssued().certificate());
        }
    }

    @Test
    void aServerRejectingOurSniGivesTheAlertByName() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().requireSni("localhost").start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> upgrade(
                    trustingTestCa().serverName("tls.example.test").build(), Loopback.v4(), server.port(), "127.0.0.1"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.ALERT);
            assertThat(e.getMessage()).contains("unrecognized_name", "tls.example.test");
        }
    }

    @Test
    void noSniForAnIpv4Literal() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "127.0.0.1")) {
            assertThat(server.nextConnection(WAIT).sni()).isEmpty();
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().sniHostName()).isEmpty();
        }
    }

    @Test
    void noSniForAnIpv6Literal() throws Exception {
        assumeTrue(Loopback.hasV6(), "this machine has no ::1");
        try (JsseTestServer server = JsseTestServer.builder().address(Loopback.v6()).start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v6(), server.port(), "::1")) {
            assertThat(server.nextConnection(WAIT).sni()).isEmpty();
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().remoteAddress().orElseThrow().getAddress())
                    .isEqualTo(Loopback.v6());
        }
    }

    @Test
    void serverNameSetsSniAndTheNameVerifiedWhenConnectingByAddress() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().good()).start();
                SSLSocket tls = upgrade(trustingTestCa().serverName("tls.example.test").build(), Loopback.v4(),
                        server.port(), "127.0.0.1")) {
            assertThat(server.nextConnection(WAIT).sni()).contains("tls.example.test");
            assertThat(Echo.roundTrip(tls, "x")).isEqualTo("x");
        }
    }

    @Test
    void aWrongHostIsRefused() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH);
            assertThat(e.stage()).isEqualTo(HandshakeStage.VERIFYING_CERTIFICATE);
            assertThat(e.getMessage()).contains(backendName(), "localhost", "DNS:wrong.example.test", "127.0.0.1:");
        }
    }

    @Test
    void skippingHostnameVerificationStillSendsSni() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start();
                SSLSocket tls = upgrade(trustingTestCa().insecureSkipHostnameVerification().build(), Loopback.v4(),
                        server.port(), "localhost")) {
            assertThat(server.nextConnection(WAIT).sni()).contains("localhost");
            assertThat(Echo.roundTrip(tls, "y")).isEqualTo("y");
        }
    }

    @Test
    void aCertificateForTheIpIsAcceptedForTheIpLiteral() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().ipOnly()).start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "127.0.0.1")) {
            assertThat(Echo.roundTrip(tls, "ip")).isEqualTo("ip");
        }
    }

    @Test
    void anUntrustedChainIsRefusedWithThePlatformTrustStore() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrade(TlsClientConfig.builder().handshakeTimeout(WAIT).build(), Loopback.v4(), server.port(),
                            "localhost"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
            assertThat(e.getMessage()).contains("tlsupgrade Test Intermediate CA");
            assertThat(e.hint()).contains("trustedCertificates(");
        }
    }

    @Test
    void aSelfSignedCertificateIsRefusedAndNamedSo() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().selfSigned()).start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
            assertThat(e.getMessage()).contains("self-signed");
        }
    }

    @Test
    void anExpiredCertificateIsRefusedAndNamedSo() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().expired()).start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.CERTIFICATE_EXPIRED);
            assertThat(e.getMessage()).contains("certificate 0", "expired");
        }
    }

    @Test
    void aPrivateCaFromAPemFileIsTrustedWithoutTouchingTheJvm() throws Exception {
        String trustStoreBefore = System.getProperty("javax.net.ssl.trustStore");
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = upgrade(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build(),
                        Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "ca")).isEqualTo("ca");
        }
        assertThat(System.getProperty("javax.net.ssl.trustStore")).isEqualTo(trustStoreBefore);
    }

    @Test
    void aServerSpeakingOnlyTls10GivesProtocolVersionWithAHint() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start()) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> upgrade(
                    trustingTestCa().protocols(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3).build(), Loopback.v4(),
                    server.port(), "localhost"));
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.PROTOCOL_VERSION);
            assertThat(e.hint()).contains("protocols(TLS_1_0", "allowLegacyProtocols()");
        }
    }

    @Test
    void aPinnedCipherSuiteIsTheOneNegotiated() throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.CIPHER_SUITE_SELECTION));
        String pinned = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
        try (OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_2).start();
                SSLSocket tls = upgrade(trustingTestCa().protocols(TlsVersion.TLS_1_2).cipherSuites(pinned).build(),
                        Loopback.v4(), server.port(), "localhost")) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().cipherSuite()).isEqualTo(pinned);
        }
        assertThatThrownBy(() -> backend().newUpgrader(TlsClientConfig.builder().cipherSuites("TLS_NO_SUCH_SUITE").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS_NO_SUCH_SUITE");
    }

    @Test
    void classicNamedGroupsKeepTheClientHelloInOnePacket() throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.NAMED_GROUPS));
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = upgrade(trustingTestCa().namedGroups("x25519", "secp256r1").build(), Loopback.v4(),
                        server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "groups")).isEqualTo("groups");
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().clientHelloSize()).isBetween(100, 800);
        }
    }

    @Test
    void settingsTheBackendCannotHonourAreRefusedNotIgnored() {
        for (TlsFeature f : new TlsFeature[] {TlsFeature.NAMED_GROUPS, TlsFeature.ALPN, TlsFeature.CIPHER_SUITE_SELECTION,
                TlsFeature.KEY_LOG}) {
            if (backend().capabilities().has(f)) {
                continue;
            }
            TlsClientConfig.Builder b = TlsClientConfig.builder();
            switch (f) {
                case NAMED_GROUPS -> b.namedGroups("x25519");
                case ALPN -> b.alpn("h2");
                case KEY_LOG -> b.keyLog(Path.of("never-written.log"));
                default -> b.cipherSuites("TLS_AES_128_GCM_SHA256");
            }
            assertThatThrownBy(() -> backend().newUpgrader(b.build())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(f.name()).hasMessageContaining("refused");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void theKeyLogDecryptsTheConnection(String protocol, @TempDir Path dir) throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.KEY_LOG), backendName() + " does not claim KEY_LOG");
        Path keyLog = dir.resolve("keys.log");
        byte[] message = "the key log opens this record".getBytes(StandardCharsets.US_ASCII);
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start();
                RecordingProxy proxy = new RecordingProxy(server.port())) {
            String suite;
            try (SSLSocket tls = upgrade(trustingTestCa().keyLog(keyLog).build(), Loopback.v4(), proxy.port(), "localhost")) {
                suite = tls.getSession().getCipherSuite();
                tls.getOutputStream().write(message);
                tls.getOutputStream().flush();
                assertThat(tls.getInputStream().readNBytes(message.length)).isEqualTo(message);
            }
            assertThat(suite).contains("GCM");
            assertThat(KeyLogDecryptor.firstClientApplicationData(Files.readAllLines(keyLog), protocol, suite,
                    proxy.clientBytes(), proxy.serverBytes())).isEqualTo(message);
            assertThat(Files.getPosixFilePermissions(keyLog)).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS_1_3", "TLS_1_2"})
    void aStapledOcspResponseIsReported(TlsVersion version, @TempDir Path dir) throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.OCSP_STAPLING), backendName() + " does not claim OCSP_STAPLING");
        byte[] response = TestPki.get().ocspResponseGood(TestPki.get().good(), TestPki.get().intermediate());
        Path file = Files.write(dir.resolve("ocsp.der"), response);
        try (OpenSslServer server = OpenSslServer.builder().version(version).stapleOcspResponse(file).start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().stapledOcspResponse()).hasValue(response);
        }
        try (OpenSslServer server = OpenSslServer.builder().version(version).start();
                SSLSocket tls = upgrade(trustingTestCa().build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().stapledOcspResponse()).isEmpty();
        }
    }

    @Test
    void theListenerHearsEveryUpgradeAndSurvivesItsOwnBugs() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        TlsHandshakeListener listener = new TlsHandshakeListener() {
            @Override
            public void started(String backend, String host, InetSocketAddress address) {
                events.add("started " + backend + " " + host + " " + address.getAddress().getHostAddress());
                throw new IllegalStateException("a listener bug must not break the upgrade");
            }

            @Override
            public void succeeded(TlsHandshakeInfo info) {
                events.add("succeeded " + info.version());
            }

            @Override
            public void failed(TlsUpgradeException failure) {
                events.add("failed " + failure.kind());
            }
        };
        try (JsseTestServer server = JsseTestServer.builder().protocols("TLSv1.3").start();
                SSLSocket tls = upgrade(trustingTestCa().listener(listener).build(), Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "l")).isEqualTo("l");
        }
        try (JsseTestServer server = JsseTestServer.builder().identity(TestPki.get().wrongHost()).start()) {
            assertThatThrownBy(() -> upgrade(trustingTestCa().listener(listener).build(), Loopback.v4(), server.port(),
                    "localhost")).isInstanceOf(TlsUpgradeException.class);
        }
        assertThat(events).containsExactly("started " + backendName() + " localhost 127.0.0.1", "succeeded TLSv1.3",
                "started " + backendName() + " localhost 127.0.0.1", "failed HOSTNAME_MISMATCH");
    }

    @Test
    void anUpgradeAfterSmtpStartTlsWorksOnTheSameConnection() throws Exception {
        try (SmtpStartTlsServer server = new SmtpStartTlsServer();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            Socket plain = Loopback.connect(Loopback.v4(), server.port());
            Preamble.smtp("client.example.test").negotiate(plain, WAIT);
            try (SSLSocket tls = upgrader.upgrade(plain, "localhost", server.port())) {
                assertThat(Echo.roundTrip(tls, "after STARTTLS")).isEqualTo("after STARTTLS");
            }
        }
    }

    @Test
    void alpnIsNegotiated() throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.ALPN), backendName() + " does not claim ALPN");
        try (JsseTestServer server = JsseTestServer.builder().alpn("h2", "http/1.1").start();
                SSLSocket tls = upgrade(trustingTestCa().alpn("h2", "http/1.1").build(), Loopback.v4(), server.port(),
                        "localhost")) {
            assertThat(server.nextConnection(WAIT).applicationProtocol()).isEqualTo("h2");
            assertThat(TlsHandshakeInfo.of(tls).orElseThrow().applicationProtocol()).contains("h2");
        }
    }

    @Test
    void aClientCertificateIsPresentedWhenTheServerRequiresOne() throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.CLIENT_CERTIFICATES));
        Identity client = TestPki.get().client();
        try (OpenSslServer server = OpenSslServer.builder().requireClientCertificate(TestPki.get().caPem()).start();
                SSLSocket tls = upgrade(trustingTestCa().clientCertificate(client.certificatePem(), client.keyPem()).build(),
                        Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "cert")).isEqualTo("trec");
        }
        try (JsseTestServer server = JsseTestServer.builder().requireClientCertificate(TestPki.get().root().certificate())
                .start();
                SSLSocket tls = upgrade(trustingTestCa().clientCertificate(client.certificatePem(), client.keyPem()).build(),
                        Loopback.v4(), server.port(), "localhost")) {
            assertThat(Echo.roundTrip(tls, "c")).isEqualTo("c");
            assertThat(server.nextConnection(WAIT).clientCertificate()).contains(client.certificate());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void laterConnectionsOfOneUpgraderResumeTheSession(String protocol) throws Exception {
        assumeTrue(backend().capabilities().has(TlsFeature.SESSION_RESUMPTION));
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            boolean[] resumed = new boolean[3];
            for (int i = 0; i < resumed.length; i++) {
                try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                        server.port())) {
                    assertThat(Echo.roundTrip(tls, "r" + i)).isEqualTo("r" + i);
                    resumed[i] = TlsHandshakeInfo.of(tls).orElseThrow().resumed();
                }
            }
            assertThat(resumed).as("resumed per connection: " + Arrays.toString(resumed)).containsExactly(false, true, true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withResumptionOffEveryConnectionIsAFullHandshake(String protocol) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().protocols(protocol).start();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().sessionResumption(false).build())) {
            for (int i = 0; i < 3; i++) {
                try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                        server.port())) {
                    assertThat(Echo.roundTrip(tls, "f" + i)).isEqualTo("f" + i);
                    assertThat(TlsHandshakeInfo.of(tls).orElseThrow().resumed()).as("connection " + i + " resumed").isFalse();
                }
            }
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyByteIsSent() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            int port = peer.port();
            for (String badHost : new String[] {"https://localhost/", "localhost:443", "local host", "", "a/b"}) {
                try (Socket s = Loopback.connect(Loopback.v4(), port)) {
                    assertThatThrownBy(() -> upgrader.upgrade(s, badHost, port))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
                }
            }
            for (int badPort : new int[] {0, -1, 65536}) {
                try (Socket s = Loopback.connect(Loopback.v4(), port)) {
                    assertThatThrownBy(() -> upgrader.upgrade(s, "localhost", badPort))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(badPort));
                }
            }
            assertThatThrownBy(() -> upgrader.upgrade(new Socket(), "localhost", port))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not connected");
            Socket closed = Loopback.connect(Loopback.v4(), port);
            closed.close();
            assertThatThrownBy(() -> upgrader.upgrade(closed, "localhost", port))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed");
            Thread.sleep(200);
            assertThat(peer.bytesReceived()).as("bytes the peer received").isZero();
        }
    }

    @Test
    void aSilentPeerTimesOutInsteadOfHanging() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT)) {
            Socket plain = Loopback.connect(Loopback.v4(), peer.port());
            long start = System.nanoTime();
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> backend()
                    .newUpgrader(trustingTestCa().handshakeTimeout(Duration.ofMillis(500)).build())
                    .upgrade(plain, "localhost", peer.port()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(e.stage()).isEqualTo(HandshakeStage.READING_SERVER_HELLO);
            assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
            assertThat(plain.isClosed()).as("the failed upgrade closed the socket").isTrue();
        }
    }

    @Test
    void aTricklingPeerIsCutOffAtTheDeadline() throws Exception {
        // Every read gets a byte within the socket timeout; only the deadline on the whole handshake ends it.
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.TRICKLE)) {
            Socket plain = Loopback.connect(Loopback.v4(), peer.port());
            long start = System.nanoTime();
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class, () -> backend()
                    .newUpgrader(trustingTestCa().handshakeTimeout(Duration.ofMillis(700)).build())
                    .upgrade(plain, "localhost", peer.port()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(took).isBetween(Duration.ofMillis(650), Duration.ofSeconds(5));
            assertThat(plain.isClosed()).as("the failed upgrade closed the socket").isTrue();
        }
    }

    @Test
    void theSocketTimeoutAndNoDelayAreRestoredAfterTheHandshake() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            Socket plain = Loopback.connect(Loopback.v4(), server.port());
            plain.setSoTimeout(1234);
            plain.setTcpNoDelay(false);
            try (SSLSocket tls = upgrader.upgrade(plain, "localhost", server.port())) {
                assertThat(tls.getSoTimeout()).isEqualTo(1234);
                assertThat(plain.getSoTimeout()).isEqualTo(1234);
                assertThat(plain.getTcpNoDelay()).isFalse();
            }
        }
    }

    /** A plain socket that notes whether TCP_NODELAY was on when the first byte went out. */
    private static final class WatchedSocket extends Socket {
        volatile Boolean noDelayAtFirstWrite;
        private OutputStream out;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream real = super.getOutputStream();
                out = new java.io.FilterOutputStream(real) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (noDelayAtFirstWrite == null) {
                            noDelayAtFirstWrite = getTcpNoDelay();
                        }
                        real.write(b, off, len);
                    }
                };
            }
            return out;
        }
    }

    @Test
    void noDelayIsOnWhileTheHandshakeSendsItsFlights() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            WatchedSocket plain = new WatchedSocket();
            plain.connect(new InetSocketAddress(Loopback.v4(), server.port()), 5000);
            plain.setTcpNoDelay(false);
            try (SSLSocket tls = upgrader.upgrade(plain, "localhost", server.port())) {
                assertThat(plain.noDelayAtFirstWrite).as("TCP_NODELAY when the ClientHello went out").isTrue();
                assertThat(plain.getTcpNoDelay()).as("the caller's choice after the handshake").isFalse();
            }
        }
    }

    @Test
    void anSslSocketIsRefusedAsThePlainSocket() throws Exception {
        try (RawPeer peer = RawPeer.start(RawPeer.Behaviour.SILENT);
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            javax.net.ssl.SSLContext jdk = javax.net.ssl.SSLContext.getInstance("TLS", "SunJSSE");
            jdk.init(null, null, null);
            try (Socket already = jdk.getSocketFactory().createSocket(Loopback.connect(Loopback.v4(), peer.port()),
                    "localhost", peer.port(), true)) {
                assertThatThrownBy(() -> upgrader.upgrade(already, "localhost", peer.port()))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already an SSLSocket");
            }
            Thread.sleep(200);
            assertThat(peer.bytesReceived()).as("bytes the peer received").isZero();
        }
    }

    @Test
    void closingTheTlsSocketClosesTheSocketUnderIt() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = backend().newUpgrader(trustingTestCa().build())) {
            Socket plain = Loopback.connect(Loopback.v4(), server.port());
            SSLSocket tls = upgrader.upgrade(plain, "localhost", server.port());
            assertThat(Echo.roundTrip(tls, "bye")).isEqualTo("bye");
            tls.close();
            assertThat(plain.isClosed()).isTrue();
            assertThat(server.nextConnection(WAIT).failure()).isNull();
        }
    }
}
