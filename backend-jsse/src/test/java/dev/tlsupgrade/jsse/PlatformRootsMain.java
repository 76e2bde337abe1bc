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
 * configured by the application (held to RFC 5280's profile: refused). Prints one line for each.
 */
public final class PlatformRootsMain {
    private PlatformRootsMain() {
    }

    public static void main(String[] args) throws Exception {
        Identity root = TestCertificate.builder("CN=tlsupgrade Platform Root Without SKI").selfSigned().ca().noSubjectKeyId()
                .build("platform-root-no-ski");
        Identity leaf = TestCertificate.builder("CN=localhost").dns("localhost").issuer(root).build("under-platform-root");
        Path store = Files.createTempFile("platform-roots", ".p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root.certificate());
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "changeit".toCharArray());
        }
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        try (JsseTestServer server = JsseTestServer.builder().identity(leaf).start()) {
            System.out.println("platform: " + attempt(TlsClientConfig.builder().build(), server.port()));
            System.out.println("configured: " + attempt(TlsClientConfig.builder()
                    .trustedCertificates(List.of(root.certificate())).build(), server.port()));
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static String attempt(TlsClientConfig config, int port) throws Exception {
        try (TlsUpgrader upgrader = TlsBackends.get("jsse").newUpgrader(config);
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), port), "localhost", port)) {
            return "accepted " + tls.getSession().getProtocol();
        } catch (TlsUpgradeException e) {
            return "refused " + e.kind() + " " + e.getMessage();
        }
    }
}
