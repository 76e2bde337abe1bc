package dev.tlsupgrade.examples;

import dev.tlsupgrade.testing.Identity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A toy server for {@link UpgradeExample}: it greets in plaintext, answers {@code STARTTLS} with
 * {@code GO}, then switches the same connection to TLS and echoes lines. One connection, then it stops.
 */
final class StartTlsEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;

    StartTlsEchoServer(Identity identity) throws IOException, GeneralSecurityException {
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.tls = SSLContext.getInstance("TLS");
        tls.init(identity.keyManagerFactory().getKeyManagers(), null, null);
        Thread t = new Thread(this::serveOne, "starttls-echo-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serveOne() {
        try (Socket plain = server.accept()) {
            OutputStream out = plain.getOutputStream();
            out.write("HELLO toy-protocol\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Read the command one byte at a time so no TLS byte is consumed by a buffer.
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = plain.getInputStream().read()) != '\n' && c >= 0) {
                line.append((char) c);
            }
            if (!line.toString().equals("STARTTLS")) {
                return;
            }
            out.write("GO\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, true)) {
                secure.setUseClientMode(false);
                BufferedReader in = new BufferedReader(new InputStreamReader(secure.getInputStream(), StandardCharsets.UTF_8));
                String echo;
                while ((echo = in.readLine()) != null) {
                    secure.getOutputStream().write(("echo: " + echo + "\n").getBytes(StandardCharsets.UTF_8));
                    secure.getOutputStream().flush();
                }
            }
        } catch (IOException e) {
            System.err.println("toy server: " + e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
