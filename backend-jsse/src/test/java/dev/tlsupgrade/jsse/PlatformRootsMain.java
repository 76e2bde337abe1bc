package dev.tlsupgrade.jsse;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestCertificate;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * Run in a fresh JVM by {@link JssePlatformRootsTest}: makes a root without a subject key
 * identifier (as some of the JDK's own are), makes it this JVM's platform trust store
 * ({@code javax.net.ssl.trustStore}, first thing, before anything reads it), and reaches a server
 * under it twice: trusting the platform (the root's vendor curates it: accepted) and with the root
 * configured by the application (held to RFC 5280's profile: refused); then a server whose CN the
 * JDK holds to a CA's dNSName constraint: refused under a platform root, heard again and accepted
 * under a root the application configured. Prints one line for each.
 */
public final class PlatformRootsMain {
    private PlatformRootsMain() {
    }

    public static void main(String[] args) throws Exception {
        Identity root = TestCertificate.builder("CN=tlsupgrade Platform Root Without SKI").selfSigned().ca().noSubjectKeyId()
                .build("platform-root-no-ski");
        Identity leaf = TestCertificate.builder("CN=localhost").dns("localhost").issuer(root).build("under-platform-root");
        // A CA excluding bad.test under a second platform root, and a server for 127.0.0.1 whose CN is bad.test: the
        // JDK holds the CN to the constraint; core hears that again only under a root the application configured.
        Identity root2 = TestCertificate.builder("CN=tlsupgrade Platform Root Two").selfSigned().ca().pathLength(1)
                .build("platform-root-two");
        Identity excludes = TestCertificate.builder("CN=tlsupgrade Platform CA Excluding bad.test").ca()
                .excludedDns("bad.test").issuer(root2).build("platform-ca-excluding");
        Identity cnLeaf = TestCertificate.builder("CN=bad.test").ip("127.0.0.1").issuer(excludes).build("cn-bad-test");
        // The same under a root the application configures (and the platform does not hold).
        Identity root3 = TestCertificate.builder("CN=tlsupgrade Configured Root").selfSigned().ca().pathLength(1)
                .build("configured-root");
        Identity excludes3 = TestCertificate.builder("CN=tlsupgrade Configured CA Excluding bad.test").ca()
                .excludedDns("bad.test").issuer(root3).build("configured-ca-excluding");
        Identity cnLeaf3 = TestCertificate.builder("CN=bad.test").ip("127.0.0.1").issuer(excludes3).build("cn-bad-test-3");
        Path store = Files.createTempFile("platform-roots", ".p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root.certificate());
        ks.setCertificateEntry("root2", root2.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "changeit".toCharArray());
        }
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        try (JsseTestServer server = JsseTestServer.builder().identity(leaf).start()) {
            System.out.println("platform: " + attempt(TlsClientConfig.builder().build(), "localhost", server.port()));
            System.out.println("configured: " + attempt(TlsClientConfig.builder()
                    .trustedCertificates(List.of(root.certificate())).build(), "localhost", server.port()));
        }
        try (JsseTestServer server = JsseTestServer.builder().identity(cnLeaf).start();
                JsseTestServer server3 = JsseTestServer.builder().identity(cnLeaf3).start()) {
            System.out.println("platform-cn: " + attempt(TlsClientConfig.builder().build(), "127.0.0.1", server.port()));
            System.out.println("configured-cn: " + attempt(TlsClientConfig.builder()
                    .trustedCertificates(List.of(root3.certificate())).build(), "127.0.0.1", server3.port()));
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static String attempt(TlsClientConfig config, String host, int port) throws Exception {
        try (TlsUpgrader upgrader = TlsBackends.get("jsse").newUpgrader(config);
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), port), host, port)) {
            return "accepted " + tls.getSession().getProtocol();
        } catch (TlsUpgradeException e) {
            return "refused " + e.kind() + " " + e.getMessage();
        }
    }
}
