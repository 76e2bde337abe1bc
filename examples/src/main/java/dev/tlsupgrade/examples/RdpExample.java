package dev.tlsupgrade.examples;

import dev.tlsupgrade.Dialer;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.preamble.Preamble;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLSocket;

/**
 * The RDP case end to end, up to where CredSSP (NLA) takes over: connect to every address of the
 * host, negotiate TLS in X.224 (RDP_NEG_REQ), upgrade the same socket trusting the host's
 * self-signed certificate on first use (as mstsc and FreeRDP do), and print what CredSSP needs.
 *
 * <pre>
 * java -cp examples/target/tlsupgrade.jar dev.tlsupgrade.examples.RdpExample HOST[:PORT] [known_hosts] [BACKEND]
 * </pre>
 *
 * Old hosts (Windows Server 2012, many devices) speak only TLS 1.0/1.1: the openssl and bctls
 * backends offer them per connection, with {@code allowLegacyProtocols()}.
 */
public final class RdpExample {
    private RdpExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: RdpExample HOST[:PORT] [KNOWN_HOSTS_FILE] [BACKEND]");
            System.exit(2);
        }
        String host = args[0].contains(":") ? args[0].substring(0, args[0].lastIndexOf(':')) : args[0];
        int port = args[0].contains(":") ? Integer.parseInt(args[0].substring(args[0].lastIndexOf(':') + 1)) : 3389;
        Path knownHosts = Path.of(args.length > 1 ? args[1] : System.getProperty("user.home") + "/.tlsupgrade_known_hosts");
        String backend = args.length > 2 ? args[2] : "openssl";
        run(host, port, knownHosts, backend, System.out);
    }

    /** The example's steps; returns the SHA-256 of the server's SubjectPublicKey. */
    static String run(String host, int port, Path knownHosts, String backend, PrintStream out) throws Exception {
        // 1. One upgrader per application: the host's certificate is self-signed, so trust its key on first
        //    use (recorded in knownHosts; a changed key later fails with CERTIFICATE_CHANGED). Old hosts need
        //    TLS 1.0/1.1, weak and off by default: allow them for this server only. No session resumption:
        //    CredSSP wants a full handshake.
        TlsClientConfig config = TlsClientConfig.builder()
                .protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3)
                .allowLegacyProtocols()
                .knownHosts(knownHosts)
                .sessionResumption(false) // CredSSP binds to a full handshake
                .handshakeTimeout(Duration.ofSeconds(10))
                .build();
        try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(config)) {
            // 2. Every address of the name, IPv6 first; the report says which one answered.
            Dialer.Connection connection = Dialer.connect(host, port, Duration.ofSeconds(10));
            out.println("connected to " + connection.address());

            // 3. X.224 Connection Request with RDP_NEG_REQ asking for TLS; the server must answer PROTOCOL_SSL.
            Preamble.rdp().negotiate(connection.socket(), Duration.ofSeconds(10));

            // 4. Upgrade the same socket.
            try (SSLSocket tls = upgrader.upgrade(connection.socket(), host, port)) {
                TlsHandshakeInfo info = TlsHandshakeInfo.of(tls).orElseThrow();
                out.println(info);

                // 5. What CredSSP binds to: pubKeyAuth is computed over the server's SubjectPublicKey.
                byte[] key = info.serverPublicKey().orElseThrow();
                String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
                out.println("server SubjectPublicKey: " + key.length + " bytes, SHA-256 " + keyHash);
                out.println("tls-server-end-point: " + HexFormat.of().formatHex(info.tlsServerEndPoint().orElseThrow()));
                return keyHash;
            }
        }
    }
}
