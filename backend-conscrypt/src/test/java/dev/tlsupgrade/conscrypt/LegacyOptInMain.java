package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.testing.Loopback;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/** Run in a fresh JVM: before the opt-in TLS 1.0 is refused; after it, the server at args[0] is reached with args[1]. */
public final class LegacyOptInMain {
    private LegacyOptInMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        TlsVersion version = TlsVersion.fromJsseName(args[1]).orElseThrow();
        System.out.println("BEFORE " + TlsBackends.get("conscrypt").capabilities().versionSupport(version));
        ConscryptBackend.enableLegacyProtocolsGlobally();
        VersionSupport after = TlsBackends.get("conscrypt").capabilities().versionSupport(version);
        System.out.println("AFTER " + after);
        TlsClientConfig config = TlsClientConfig.builder().protocols(version).allowLegacyProtocols()
                .trustedCertificates(Path.of(args[2])).build();
        try (SSLSocket tls = TlsBackends.get("conscrypt").newUpgrader(config)
                .upgrade(Loopback.connect(Loopback.v4(), port), "localhost", port)) {
            System.out.println("NEGOTIATED " + tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite());
        }
    }
}
