package tlsupgrade.app;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgrader;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;

/** Upgrades a connection to localhost:PORT through BACKEND, trusting CA.pem: {@code Main BACKEND PORT CA.pem}. */
public final class Main {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        System.out.println("MODULE " + Main.class.getModule().getName() + " core " + TlsBackends.class.getModule().getName());
        try (TlsUpgrader upgrader = TlsBackends.get(args[0]).newUpgrader(TlsClientConfig.builder()
                .trustedCertificates(Path.of(args[2])).build());
                SSLSocket tls = upgrader.upgrade(new Socket("127.0.0.1", port), "localhost", port)) {
            System.out.println("UPGRADED " + args[0] + " " + tls.getSession().getProtocol());
        }
    }
}
