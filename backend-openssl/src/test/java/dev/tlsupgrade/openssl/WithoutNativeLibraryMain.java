package dev.tlsupgrade.openssl;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import javax.net.ssl.SSLSocket;

/** Run in a JVM whose tcnative jars lack their native libraries: reports discovery, then upgrades through jsse. */
public final class WithoutNativeLibraryMain {
    private WithoutNativeLibraryMain() {
    }

    public static void main(String[] args) throws Exception {
        for (TlsBackend b : TlsBackends.all()) {
            System.out.println("BACKEND " + b.name() + " available=" + b.isAvailable() + " cause="
                    + b.unavailabilityCause().map(t -> t.getClass().getName()).orElse("none"));
        }
        try {
            TlsBackends.get("openssl").checkAvailability();
        } catch (IllegalStateException e) {
            System.out.println("GET " + e.getMessage());
        }
        try {
            TlsBackends.get("openssl");
        } catch (IllegalStateException e) {
            System.out.println("GET " + e.getMessage());
        }
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = TlsBackends.get("jsse")
                        .newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            System.out.println("JSSE " + tls.getSession().getProtocol());
        }
    }
}
