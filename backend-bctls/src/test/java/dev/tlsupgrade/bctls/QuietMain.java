package dev.tlsupgrade.bctls;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.RawPeer;
import dev.tlsupgrade.testing.TestPki;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** Run in a fresh JVM: one successful and one failed bctls upgrade, printing only what the test reads. */
public final class QuietMain {
    private QuietMain() {
    }

    public static void main(String[] args) throws Exception {
        try (TlsUpgrader upgrader = TlsBackends.get("bctls").newUpgrader(TlsClientConfig.builder()
                .trustedCertificates(TestPki.get().caPem()).handshakeTimeout(Duration.ofSeconds(10)).build());
                JsseTestServer server = JsseTestServer.builder().start();
                RawPeer smtp = RawPeer.start(RawPeer.Behaviour.SMTP_BANNER)) {
            try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
                System.out.println("UPGRADED " + tls.getSession().getProtocol());
            }
            try {
                upgrader.upgrade(Loopback.connect(Loopback.v4(), smtp.port()), "localhost", smtp.port());
            } catch (TlsUpgradeException expected) {
                System.out.println("FAILED " + expected.kind());
            }
        }
    }
}
