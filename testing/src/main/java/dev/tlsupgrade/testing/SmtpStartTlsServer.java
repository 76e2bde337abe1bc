package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal in-process SMTP server that offers STARTTLS and then runs TLS (the JDK's, serving
 * {@link TestPki#good()}) on the same connection, echoing bytes: for tests of a plaintext preamble
 * followed by an upgrade. One connection at a time.
 */
public final class SmtpStartTlsServer implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;

    public SmtpStartTlsServer() throws IOException {
        try {
            tls = SSLContext.getInstance("TLS", "SunJSSE");
            tls.init(TestPki.get().good().keyManagerFactory().getKeyManagers(), null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server = new ServerSocket(0, 10, Loopback.v4());
        Thread t = new Thread(this::serve, "smtp-starttls-server");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                write(out, "220 mail.example.test ESMTP\r\n");
                line(in);
                write(out, "250-mail.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
                if (!line(in).equalsIgnoreCase("STARTTLS")) {
                    continue;
                }
                write(out, "220 2.0.0 Ready to start TLS\r\n");
                try (SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(s, null, true)) {
                    secure.setUseClientMode(false);
                    InputStream sin = secure.getInputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = sin.read(buf)) > 0) {
                        secure.getOutputStream().write(buf, 0, n);
                        secure.getOutputStream().flush();
                    }
                }
            } catch (IOException ignored) {
                // next connection
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
