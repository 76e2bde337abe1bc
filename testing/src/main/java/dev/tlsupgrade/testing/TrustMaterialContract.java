package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trust and identity material from the JDK alone, on every backend: the platform's CAs plus a
 * private one, and a client certificate from a PKCS#12 or JKS store, from an encrypted PKCS#8 PEM
 * key, or chosen by the user's own key manager. Each backend module runs it through a subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class TrustMaterialContract {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final char[] PASSWORD = "s3cret pass".toCharArray();

    @TempDir
    Path dir;

    protected abstract String backendName();

    private TlsClientConfig.Builder trusting() {
        return TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).handshakeTimeout(WAIT);
    }

    /** Upgrades to a server that requires a client certificate from the test CA and returns the one it saw. */
    private X509Certificate clientCertificateSeen(TlsClientConfig config) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().requireClientCertificate(TestPki.get().root().certificate())
                .protocols("TLSv1.2").start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config);
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            OutputStream out = tls.getOutputStream();
            out.write('x');
            out.flush();
            assertThat(tls.getInputStream().read()).isEqualTo('x');
            return server.nextConnection(WAIT).clientCertificate().orElseThrow();
        }
    }

    private Path keyStore(String type) throws Exception {
        Identity client = TestPki.get().client();
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(null, null);
        ks.setKeyEntry("client", client.privateKey(), PASSWORD, client.chain().toArray(new X509Certificate[0]));
        Path file = dir.resolve("client." + type.toLowerCase(java.util.Locale.ROOT));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }

    @Test
    void thePlatformsCasPlusAPrivateOne() throws Exception {
        TlsClientConfig config = trusting().addPlatformTrustedCertificates().build();
        try (JsseTestServer server = JsseTestServer.builder().start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config);
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            assertThat(tls.getSession().getProtocol()).startsWith("TLS");
            X509Certificate[] issuers = upgrader.trustManager().getAcceptedIssuers();
            assertThat(issuers).contains(TestPki.get().root().certificate());
            assertThat(issuers.length).as("the platform's CAs are there too").isGreaterThan(10);
        }
        try (TlsUpgrader privateOnly = TlsBackends.get(backendName()).newUpgrader(trusting().build())) {
            assertThat(privateOnly.trustManager().getAcceptedIssuers()).containsExactly(TestPki.get().root().certificate());
        }
        assertThatThrownBy(() -> TlsClientConfig.builder().addPlatformTrustedCertificates().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCertificates(");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PKCS12", "JKS"})
    void aClientCertificateFromAKeyStore(String type) throws Exception {
        Path store = keyStore(type);
        assertThat(clientCertificateSeen(trusting().clientKeyStore(store, PASSWORD).build()))
                .isEqualTo(TestPki.get().client().certificate());
        assertThatThrownBy(() -> trusting().clientKeyStore(store, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> trusting().clientKeyStore(store, PASSWORD, "nosuch"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key entry 'nosuch'")
                .hasMessageContaining("client");
    }

    @Test
    void aClientCertificateWithAnEncryptedPkcs8Key() throws Exception {
        Identity client = TestPki.get().client();
        Path encrypted = dir.resolve("client-key.enc.pem");
        Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", client.keyPem().toString(),
                "-out", encrypted.toString(), "-passout", "pass:" + new String(PASSWORD)).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl pkcs8 -topk8 ran").isTrue();
        assertThat(Files.readString(encrypted)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(clientCertificateSeen(trusting().clientCertificate(client.certificatePem(), encrypted, PASSWORD).build()))
                .isEqualTo(client.certificate());
        assertThatThrownBy(() -> trusting().clientCertificate(client.certificatePem(), encrypted))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> trusting().clientCertificate(client.certificatePem(), encrypted, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
    }

    @Test
    void theUsersOwnKeyManagerChoosesTheCertificate() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore("PKCS12"))) {
            ks.load(in, PASSWORD);
        }
        kmf.init(ks, PASSWORD);
        X509KeyManager jdk = (X509KeyManager) kmf.getKeyManagers()[0];
        // A plain X509KeyManager (as a PKCS#11 or HSM wrapper may be), not an extended one.
        X509KeyManager plain = new X509KeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return jdk.getClientAliases(keyType, issuers);
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return jdk.chooseClientAlias(keyType, issuers, socket);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return jdk.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return jdk.getPrivateKey(alias);
            }
        };
        assertThat(clientCertificateSeen(trusting().clientKeyManager(plain).build()))
                .isEqualTo(TestPki.get().client().certificate());
    }

    @Test
    void withoutAClientCertificateTheServersDemandIsExplained() throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().requireClientCertificate(TestPki.get().root().certificate())
                .protocols("TLSv1.2").start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(trusting().build())) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port()));
            assertThat(e).isNotNull();
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CLIENT_CERTIFICATE_REQUIRED);
            assertThat(List.of(e.hint())).anyMatch(h -> h.contains("clientCertificate("));
        }
    }
}
