package dev.tlsupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;

/**
 * An in-process TLS server on loopback through the JDK's own provider (TLS 1.2/1.3), echoing every
 * byte back. It records, per connection, the SNI name the client sent (or none), the negotiated
 * version, suite and ALPN protocol, so tests can check what a backend really put on the wire.
 */
public final class JsseTestServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final List<SSLSocket> open = new ArrayList<>();
    private final Thread acceptor;
    private final Builder settings;
    private final java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();

    /** What one accepted connection negotiated, or how its handshake failed. */
    public record Connection(Optional<String> sni, String protocol, String cipherSuite, String applicationProtocol,
            Optional<X509Certificate> clientCertificate, Throwable failure) {
    }

    private JsseTestServer(Builder b) throws IOException {
        this.settings = b;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS", "SunJSSE");
            TrustManagerFactory tmf = null;
            if (b.clientCa != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setCertificateEntry("client-ca", b.clientCa);
                tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
                tmf.init(ks);
            }
            ctx.init(b.identity.keyManagerFactory().getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, b.address);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        acceptor = new Thread(this::acceptLoop, "jsse-test-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    /** The next connection's handshake result, waiting up to {@code timeout}. */
    public Connection nextConnection(Duration timeout) throws InterruptedException {
        Connection c = connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("the test server saw no handshake within " + timeout);
        }
        return c;
    }

    /**
     * Handshakes completed on all connections so far, renegotiations included (a TLS 1.2 client that
     * renegotiates makes one connection count two).
     */
    public int handshakesCompleted() {
        return handshakes.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            SSLSocket s;
            try {
                s = (SSLSocket) server.accept();
            } catch (IOException e) {
                return;
            }
            synchronized (open) {
                open.add(s);
            }
            Thread t = new Thread(() -> serve(s), "jsse-test-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SSLSocket s) {
        AtomicReference<String> sni = new AtomicReference<>();
        try (s) {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(settings.protocols);
            p.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName name) {
                    sni.set(name instanceof SNIHostName h ? h.getAsciiName() : new SNIHostName(name.getEncoded()).getAsciiName());
                    return true;
                }
            }));
            if (settings.alpn != null) {
                p.setApplicationProtocols(settings.alpn);
            }
            if (settings.cipherSuites != null) {
                p.setCipherSuites(settings.cipherSuites);
            }
            if (settings.clientCa != null) {
                p.setNeedClientAuth(true);
            }
            s.setSSLParameters(p);
            s.addHandshakeCompletedListener(e -> handshakes.incrementAndGet());
            s.startHandshake();
            X509Certificate client = null;
            if (settings.clientCa != null) {
                client = (X509Certificate) s.getSession().getPeerCertificates()[0];
            }
            if (settings.record) {
                connections.add(new Connection(Optional.ofNullable(sni.get()), s.getSession().getProtocol(),
                        s.getSession().getCipherSuite(), s.getApplicationProtocol(), Optional.ofNullable(client), null));
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (!settings.discard) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (settings.record && !(e instanceof SocketException && server.isClosed())) {
                connections.add(new Connection(Optional.ofNullable(sni.get()), null, null, null, Optional.empty(), e));
            }
        } finally {
            synchronized (open) {
                open.remove(s);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (SSLSocket s : open) {
                s.close();
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a {@link JsseTestServer}. */
    public static final class Builder {
        private Identity identity = TestPki.get().good();
        private String[] protocols = {"TLSv1.3", "TLSv1.2"};
        private InetAddress address = Loopback.v4();
        private X509Certificate clientCa;
        private String[] alpn;
        private String[] cipherSuites;
        private boolean discard;
        private boolean record = true;

        private Builder() {
        }

        /** Accepts only these suites (IANA names), so every client negotiates one of them. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = suites.clone();
            return this;
        }

        /** Reads and drops what clients send instead of echoing it (one-direction throughput). */
        public Builder discard() {
            this.discard = true;
            return this;
        }

        /** Keeps no record of connections: for benchmarks that make hundreds of thousands. */
        public Builder unrecorded() {
            this.record = false;
            return this;
        }

        public Builder identity(Identity id) {
            this.identity = id;
            return this;
        }

        /** The versions served, JSSE names (TLS 1.2 and 1.3 only: the JDK refuses older ones). */
        public Builder protocols(String... p) {
            this.protocols = p.clone();
            return this;
        }

        public Builder address(InetAddress a) {
            this.address = a;
            return this;
        }

        /** Requires a client certificate issued by {@code ca}. */
        public Builder requireClientCertificate(X509Certificate ca) {
            this.clientCa = ca;
            return this;
        }

        /** The ALPN protocols the server accepts, in its preference order. */
        public Builder alpn(String... protocols) {
            this.alpn = protocols.clone();
            return this;
        }

        public JsseTestServer start() throws IOException {
            return new JsseTestServer(this);
        }
    }
}
