package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

/**
 * The whole life of an upgraded connection in one {@code main}: connect in plaintext, speak the
 * protocol's plaintext part, upgrade the same socket to TLS, then talk over TLS.
 *
 * <p>Runs against an embedded toy server (greeting, {@code STARTTLS}, {@code GO}); pass a backend
 * name as the first argument to try another one.
 */
public final class UpgradeExample {
    private UpgradeExample() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args.length > 0 ? args[0] : "jsse";
        TestPki pki = TestPki.get();
        try (StartTlsEchoServer server = new StartTlsEchoServer(pki.good())) {
            // 1. Make the upgrader once and keep it: it is thread-safe, and later connections resume sessions.
            //    Trust the server's private CA from a PEM file, without touching the JVM's trust store.
            TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(TlsClientConfig.builder()
                    .trustedCertificates(pki.caPem())
                    .build());

            // 2. Connect a plain socket, as the protocol starts in plaintext.
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());

            // 3. Speak the plaintext part. Read byte by byte: a buffered reader could swallow TLS bytes.
            InputStream plainIn = plain.getInputStream();
            OutputStream plainOut = plain.getOutputStream();
            System.out.println("server says: " + readLine(plainIn));
            plainOut.write("STARTTLS\n".getBytes(StandardCharsets.US_ASCII));
            plainOut.flush();
            System.out.println("server says: " + readLine(plainIn));

            // 4. Upgrade the same socket. The host name is what SNI carries and what the certificate must name.
            SSLSocket tls = upgrader.upgrade(plain, "localhost", server.port());
            System.out.println("upgraded:    " + TlsHandshakeInfo.of(tls).orElseThrow());

            // 5. Talk over TLS; closing the TLS socket sends close_notify and closes the plain socket too.
            try (tls) {
                tls.getOutputStream().write("hello over TLS\n".getBytes(StandardCharsets.UTF_8));
                tls.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                System.out.println("server says: " + in.readLine());
            }
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }
}
