package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import javax.net.ssl.SSLSocket;

/**
 * Run in a child JVM (see {@link ChildJvm#withoutNativeLibraries}): prints what discovery found
 * ("BACKEND name available=... cause=..."), what asking for {@code args[0]} says ("GET ..."), and
 * then upgrades through jsse ("JSSE TLSv1.3"), to show the other backends keep working.
 */
public final class DiscoveryReport {
    private DiscoveryReport() {
    }

    public static void main(String[] args) throws Exception {
        for (TlsBackend b : TlsBackends.all()) {
            System.out.println("BACKEND " + b.name() + " available=" + b.isAvailable() + " cause="
                    + b.unavailabilityCause().map(t -> t.getClass().getName() + ": " + t.getMessage()).orElse("none"));
        }
        try {
            TlsBackends.get(args[0]);
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
