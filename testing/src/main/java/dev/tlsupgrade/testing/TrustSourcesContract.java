package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.IdentityCheck;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where trust comes from in a service that runs for months, on every backend: a PKCS#12 or JKS
 * trust store, the application's own {@code KeyStore} or trust manager (core's rules still on top),
 * an identity rule in place of the host name (SPIFFE), keys pinned per host on top of CA validation,
 * and trust and key files re-read when they are rotated, without a restart and without dropping a
 * connection. Each backend module runs it through a subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class TrustSourcesContract {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final char[] PASSWORD = "store pass".toCharArray();

    @TempDir
    Path dir;

    protected abstract String backendName();

    private TlsClientConfig.Builder base() {
        return TlsClientConfig.builder().handshakeTimeout(WAIT);
    }

    /** Upgrades to a JSSE server with {@code identity} (TLS 1.2 and 1.3) and echoes one byte. */
    private void connect(TlsClientConfig config, Identity identity, String host) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(identity).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            echo(upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port()));
        }
    }

    private TlsUpgradeException refused(TlsClientConfig config, Identity identity, String host) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().identity(identity).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), host, server.port()));
            assertThat(e).as("the upgrade is refused").isNotNull();
            return e;
        }
    }

    /** One line through the echoing server, then the socket is closed. */
    private static void echo(SSLSocket tls) throws Exception {
        try (tls) {
            assertThat(Echo.roundTrip(tls, "ping")).isEqualTo("ping");
        }
    }

    private Path trustStore(String type, X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        Path file = dir.resolve("trust." + type.toLowerCase(java.util.Locale.ROOT));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }

    private static String pinOf(X509Certificate c) throws Exception {
        return "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(c.getPublicKey().getEncoded()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void aTrustStoreWithItsPassword(String type) throws Exception {
        Path store = trustStore(type, TestPki.get().root().certificate());
        connect(base().trustStore(store, PASSWORD).build(), TestPki.get().good(), "localhost");
        assertThat(refused(base().trustStore(store, PASSWORD).build(), TestPki.get().selfSigned(), "localhost").kind())
                .isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
        assertThatThrownBy(() -> base().trustStore(store, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
        KeyStore keysOnly = KeyStore.getInstance(type);
        keysOnly.load(null, null);
        assertThatThrownBy(() -> base().trustedCertificates(keysOnly))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no trusted certificate entry");
    }

    @Test
    void theApplicationsKeyStoreOrTrustManagerWithCoresRulesOnTop() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", TestPki.get().root().certificate());
        connect(base().trustedCertificates(ks).build(), TestPki.get().good(), "localhost");

        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        X509TrustManager jdk = (X509TrustManager) tmf.getTrustManagers()[0];
        AtomicInteger asked = new AtomicInteger();
        // A plain trust manager, as an application's own may be: it validates chains and knows nothing of names.
        X509TrustManager plain = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                jdk.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                asked.incrementAndGet();
                jdk.checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return jdk.getAcceptedIssuers();
            }
        };
        connect(base().trustManager(plain).build(), TestPki.get().good(), "localhost");
        assertThat(asked.get()).as("the application's trust manager was asked").isPositive();
        // It accepts the chain, but the name is still core's to check.
        assertThat(refused(base().trustManager(plain).build(), TestPki.get().wrongHost(), "localhost").kind())
                .isEqualTo(FailureKind.HOSTNAME_MISMATCH);
        assertThat(refused(base().trustManager(plain).build(), TestPki.get().selfSigned(), "localhost").kind())
                .isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
        assertThatThrownBy(() -> base().trustManager(plain).insecureTrustAllCertificates().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustManager(");
    }

    @Test
    void anIdentityRuleReplacesTheHostNameNeverTheChain() throws Exception {
        String spiffe = "spiffe://example.org/ns/prod/sa/db";
        Identity workload = TestCertificate.builder("CN=db workload").uri(spiffe).build("spiffe");
        TlsClientConfig.Builder trusting = base().trustedCertificates(TestPki.get().caPem());
        // Connected by address, named by its SPIFFE ID only: no host name could match.
        connect(trusting.serverIdentity(IdentityCheck.uriSubjectAltName(spiffe)).build(), workload, "127.0.0.1");
        TlsUpgradeException other = refused(base().trustedCertificates(TestPki.get().caPem())
                .serverIdentity(IdentityCheck.uriSubjectAltName("spiffe://example.org/ns/prod/sa/web")).build(),
                workload, "127.0.0.1");
        assertThat(other.kind()).isEqualTo(FailureKind.HOSTNAME_MISMATCH);
        assertThat(other.getMessage()).contains(spiffe).contains("spiffe://example.org/ns/prod/sa/web");
        // A rule that accepts anything cannot make an untrusted chain trusted.
        IdentityCheck anything = (name, chain) -> Optional.empty();
        assertThat(refused(base().trustedCertificates(TestPki.get().caPem()).serverIdentity(anything).build(),
                TestPki.get().selfSigned(), "localhost").kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
        assertThatThrownBy(() -> base().serverIdentity(anything).insecureSkipHostnameVerification().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serverIdentity(");
    }

    @Test
    void keysPinnedPerHostOnTopOfCaValidation() throws Exception {
        Identity good = TestPki.get().good();
        String intermediate = pinOf(TestPki.get().intermediate().certificate());
        String stranger = pinOf(TestPki.get().selfSigned().certificate());
        TlsClientConfig.Builder trusting = base().trustedCertificates(TestPki.get().caPem());
        connect(trusting.pin("localhost", stranger, intermediate).build(), good, "localhost");
        connect(base().trustedCertificates(TestPki.get().caPem()).pin("*.other.test", stranger).build(), good,
                "localhost");

        TlsUpgradeException pin = refused(base().trustedCertificates(TestPki.get().caPem()).pin("**.example.test", stranger)
                .build(), good, "tls.example.test");
        assertThat(pin.kind()).as(pin.getMessage()).isEqualTo(FailureKind.PIN_MISMATCH);
        assertThat(pin.getMessage()).contains("'tls.example.test'").contains("**.example.test")
                .contains(pinOf(good.certificate())).contains(intermediate).contains(pinOf(TestPki.get().root().certificate()));
        // The CA's verdict comes first, and reads as such.
        TlsUpgradeException ca = refused(base().trustedCertificates(TestPki.get().caPem()).pin("localhost", stranger)
                .build(), TestPki.get().selfSigned(), "localhost");
        assertThat(ca.kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);

        // The same through the factory a client names in its configuration.
        java.util.Properties props = new java.util.Properties();
        props.setProperty("tlsupgrade.backend", backendName());
        props.setProperty("tlsupgrade.trustedCertificates", TestPki.get().caPem().toString());
        props.setProperty("tlsupgrade.hostPins", "*.example.test=" + intermediate + ";localhost=" + stranger + "|" + stranger);
        javax.net.ssl.SSLSocketFactory factory = new dev.tlsupgrade.TlsSocketFactory(props);
        try (JsseTestServer server = JsseTestServer.builder().identity(good).start()) {
            SSLSocket tls = (SSLSocket) factory.createSocket(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                    server.port(), true);
            Throwable failed = org.assertj.core.api.Assertions.catchThrowable(tls::startHandshake);
            tls.close();
            assertThat(TlsUpgradeException.find(failed)).map(TlsUpgradeException::kind).hasValue(FailureKind.PIN_MISMATCH);
            echo((SSLSocket) factory.createSocket(Loopback.connect(Loopback.v4(), server.port()), "tls.example.test",
                    server.port(), true));
        }

        assertThatThrownBy(() -> base().pin("*.*.example.com", intermediate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pin: the host pattern");
        assertThatThrownBy(() -> base().pin("**.com", intermediate))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two labels");
        assertThatThrownBy(() -> base().pin("localhost", intermediate).pinnedCertificates(intermediate).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pin(host, ...)");
    }

    @Test
    void rotatedTrustAndKeyFilesAreReadWithoutARestart() throws Exception {
        Identity oldCa = TestPki.get().root();
        Identity newCa = TestCertificate.builder("CN=rotated root").selfSigned().ca().build("rotated-root");
        Identity oldServer = TestPki.get().good();
        Identity newServer = TestCertificate.builder("CN=localhost").dns("localhost").issuer(newCa).build("rotated-server");
        Identity oldClient = TestPki.get().client();
        Identity newClient = TestCertificate.builder("CN=rotated client").issuer(newCa).build("rotated-client");
        Path trust = dir.resolve("ca.pem");
        Path chain = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        Files.copy(oldCa.certificatePem(), trust);
        Files.copy(oldClient.certificatePem(), chain);
        Files.copy(oldClient.keyPem(), key);
        TlsClientConfig config = base().trustedCertificates(trust).clientCertificate(chain, key)
                .reloadInterval(Duration.ZERO).build();
        try (TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config);
                JsseTestServer before = JsseTestServer.builder().identity(oldServer).requireClientCertificate(
                        oldCa.certificate()).protocols("TLSv1.2").start();
                JsseTestServer after = JsseTestServer.builder().identity(newServer).requireClientCertificate(
                        newCa.certificate()).protocols("TLSv1.2").start();
                SSLSocket open = upgrader.upgrade(Loopback.connect(Loopback.v4(), before.port()), "localhost",
                        before.port())) {
            assertThat(before.nextConnection(WAIT).clientCertificate()).hasValue(oldClient.certificate());

            // A half-written CA file changes nothing, and says which file.
            String pem = Files.readString(newCa.certificatePem());
            Files.writeString(trust, pem.substring(0, pem.length() / 2));
            assertThatThrownBy(upgrader::reload).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(trust.toString());
            echo(upgrader.upgrade(Loopback.connect(Loopback.v4(), before.port()), "localhost", before.port()));

            // Replaced as rotation tools do (written aside, renamed over): the next handshake uses them.
            replace(trust, newCa.certificatePem());
            replace(chain, newClient.certificatePem());
            replace(key, newClient.keyPem());
            upgrader.reload();
            echo(upgrader.upgrade(Loopback.connect(Loopback.v4(), after.port()), "localhost", after.port()));
            assertThat(after.nextConnection(WAIT).clientCertificate()).hasValue(newClient.certificate());
            try (JsseTestServer stale = JsseTestServer.builder().identity(oldServer).start()) {
                TlsUpgradeException untrusted = catchThrowableOfType(TlsUpgradeException.class, () -> upgrader.upgrade(
                        Loopback.connect(Loopback.v4(), stale.port()), "localhost", stale.port()));
                assertThat(untrusted).as("the old CA is no longer trusted").isNotNull();
                assertThat(untrusted.kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
            }
            // The connection made before the rotation is still up.
            echo(open);
        }
    }

    private static void replace(Path target, Path source) throws Exception {
        Path aside = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
