package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.socket.EngineSocket;
import dev.tlsupgrade.testing.Identity;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.conscrypt.Conscrypt;

/**
 * The server side of a benchmark: a loopback TLS server made through one provider directly, so
 * each backend is measured against its own kind of peer (a BoringSSL client against a BoringSSL
 * server, as the reference numbers were taken). One thread per connection; after the
 * handshake it echoes or discards. jsse and bctls get the JDK's server: a BCJSSE server with Bouncy
 * Castle's own crypto decrypts at a tenth of the JDK's speed and would measure the server.
 */
final class BenchServer implements AutoCloseable {
    /** What a connection does after its handshake. */
    enum Mode {
        ECHO, DISCARD
    }

    private final ServerSocket server;
    private final Wrapper wrapper;
    private final Mode mode;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /** Turns an accepted connection into a server-side TLS socket, handshake not begun. */
    private interface Wrapper extends AutoCloseable {
        SSLSocket wrap(Socket plain) throws IOException;

        @Override
        default void close() {
        }
    }

    private BenchServer(Wrapper wrapper, Mode mode) throws IOException {
        this.wrapper = wrapper;
        this.mode = mode;
        this.server = new ServerSocket(0, 2048, Loopback.v4());
        this.acceptor = new Thread(this::acceptLoop, "bench-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * A server of {@code provider}'s kind speaking only {@code version}; {@code cipherSuite} (an IANA
     * name) pins the suite, null leaves the provider's default choice.
     */
    static BenchServer start(String provider, TlsVersion version, String cipherSuite, Mode mode)
            throws IOException, GeneralSecurityException {
        return start(provider, version, cipherSuite, mode, TestPki.get().benchmark(false));
    }

    /** As {@link #start(String, TlsVersion, String, Mode)}, serving {@code id} ({@code *.bench.test}, RSA or ECDSA). */
    static BenchServer start(String provider, TlsVersion version, String cipherSuite, Mode mode, Identity id)
            throws IOException, GeneralSecurityException {
        Wrapper wrapper = switch (provider) {
            case "jsse", "bctls" -> layered(SSLContext.getInstance("TLS", "SunJSSE"), id, version, cipherSuite);
            case "conscrypt" -> layered(SSLContext.getInstance("TLS", (Provider) Conscrypt.newProvider()), id, version, cipherSuite);
            case "openssl" -> engine(version, cipherSuite, id);
            default -> throw new IllegalArgumentException(provider);
        };
        return new BenchServer(wrapper, mode);
    }

    private static Wrapper layered(SSLContext ctx, Identity id, TlsVersion version, String cipherSuite)
            throws GeneralSecurityException {
        ctx.init(id.keyManagerFactory().getKeyManagers(), null, null);
        return plain -> {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            s.setUseClientMode(false);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {version.jsseName()});
            if (cipherSuite != null) {
                // Conscrypt picks the server's key by the key exchange of the enabled suites; TLS 1.3 suites name
                // none, so a TLS 1.2 suite of the same cipher rides along (unusable: the version is pinned).
                p.setCipherSuites(new String[] {cipherSuite, id.privateKey().getAlgorithm().equals("EC")
                        ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
            }
            s.setSSLParameters(p);
            if (Conscrypt.isConscrypt(s)) {
                // Conscrypt's server issues no TLS 1.3 tickets unless asked, and TLS 1.3 resumes only by ticket
                Conscrypt.setUseSessionTickets(s, true);
            }
            return s;
        };
    }

    private static Wrapper engine(TlsVersion version, String cipherSuite, Identity id) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(id.privateKey(), id.chain().toArray(new java.security.cert.X509Certificate[0]))
                .sslProvider(SslProvider.OPENSSL_REFCNT).protocols(List.of(version.jsseName()));
        if (cipherSuite != null) {
            b.ciphers(List.of(cipherSuite));
        }
        SslContext ctx = b.build();
        return new Wrapper() {
            @Override
            public SSLSocket wrap(Socket plain) throws IOException {
                SSLEngine engine = ctx.newEngine(ByteBufAllocator.DEFAULT);
                return new EngineSocket(plain, engine, () -> ReferenceCountUtil.release(engine));
            }

            @Override
            public void close() {
                ReferenceCountUtil.release(ctx);
            }
        };
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket plain;
            try {
                plain = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(plain);
            Thread t = new Thread(() -> serve(plain), "bench-server-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket plain) {
        try (Socket closing = plain) {
            plain.setTcpNoDelay(true);
            SSLSocket tls = wrapper.wrap(plain);
            try (tls) {
                tls.startHandshake();
                InputStream in = tls.getInputStream();
                OutputStream out = tls.getOutputStream();
                byte[] buf = new byte[32 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (mode == Mode.ECHO) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            }
        } catch (SocketException closedByClientOrUs) {
            // the client went away, or close() closed the socket under the thread
        } catch (IOException e) {
            if (!server.isClosed()) {
                System.err.println("bench server: " + e);
            }
        } finally {
            open.remove(plain);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wrapper.close();
    }
}
