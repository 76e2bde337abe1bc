package dev.tlsupgrade.testing;

import dev.tlsupgrade.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * An in-process echo server that speaks only TLS 1.0 (or only 1.1), through Bouncy Castle's
 * low-level protocol with a private provider instance: old servers on loopback without openssl and
 * without touching the JVM's security properties. Serves {@link TestPki#good()}.
 */
public final class LegacyTlsServer implements AutoCloseable {
    private final ServerSocket server;
    private final ProtocolVersion version;
    private final JcaTlsCrypto crypto;

    private LegacyTlsServer(TlsVersion version) throws IOException {
        if (!version.isLegacy()) {
            throw new IllegalArgumentException("LegacyTlsServer serves TLS 1.0 or 1.1, not " + version);
        }
        this.version = version == TlsVersion.TLS_1_0 ? ProtocolVersion.TLSv10 : ProtocolVersion.TLSv11;
        this.crypto = new JcaTlsCryptoProvider().setProvider(new BouncyCastleProvider()).create(new SecureRandom());
        this.server = new ServerSocket(0, 50, Loopback.v4());
        Thread t = new Thread(this::acceptLoop, "legacy-tls-server");
        t.setDaemon(true);
        t.start();
    }

    public static LegacyTlsServer start(TlsVersion version) throws IOException {
        return new LegacyTlsServer(version);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "legacy-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            TlsServerProtocol protocol = new TlsServerProtocol(s.getInputStream(), s.getOutputStream());
            protocol.accept(new DefaultTlsServer(crypto) {
                @Override
                protected ProtocolVersion[] getSupportedVersions() {
                    return new ProtocolVersion[] {version};
                }

                @Override
                protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
                    Identity id = TestPki.get().good();
                    TlsCertificate[] chain = new TlsCertificate[id.chain().size()];
                    for (int i = 0; i < chain.length; i++) {
                        try {
                            chain[i] = crypto.createCertificate(id.chain().get(i).getEncoded());
                        } catch (CertificateEncodingException e) {
                            throw new IOException(e);
                        }
                    }
                    return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, id.privateKey(),
                            new Certificate(chain), null);
                }
            });
            InputStream in = protocol.getInputStream();
            OutputStream out = protocol.getOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            protocol.close();
        } catch (IOException | RuntimeException ignored) {
            // a client that failed its handshake, by design in the tests that use this server
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
