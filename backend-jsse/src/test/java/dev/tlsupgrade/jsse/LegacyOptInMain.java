package dev.tlsupgrade.jsse;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.VersionSupport;
import dev.tlsupgrade.testing.Loopback;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/**
 * Run in a fresh JVM by {@link JsseLegacyOptInTest}: opts in first thing, as the documentation says,
 * then reaches the TLS 1.0-only server whose port and CA file are the arguments.
 */
public final class LegacyOptInMain {
    private LegacyOptInMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        JsseBackend.enableLegacyProtocolsGlobally();
        VersionSupport support = TlsBackends.get("jsse").capabilities().versionSupport(TlsVersion.TLS_1_0);
        if (support != VersionSupport.SUPPORTED) {
            throw new AssertionError("after the opt-in, jsse reports TLSv1 as " + support);
        }
        TlsClientConfig config = TlsClientConfig.builder().protocols(TlsVersion.TLS_1_0).allowLegacyProtocols()
                .trustedCertificates(Path.of(args[1])).build();
        try (SSLSocket tls = TlsBackends.get("jsse").newUpgrader(config)
                .upgrade(Loopback.connect(Loopback.v4(), port), "localhost", port)) {
            System.out.println("NEGOTIATED " + tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite());
        }
    }
}
