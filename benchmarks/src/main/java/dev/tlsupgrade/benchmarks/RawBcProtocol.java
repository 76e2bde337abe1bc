package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.FixedSession;
import dev.tlsupgrade.internal.socket.StreamSslSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Vector;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's own TLS API used directly, as its documentation shows: a {@link TlsClientProtocol}
 * over the socket's streams driving a {@link DefaultTlsClient}, SNI sent, the server's chain checked
 * by the JDK's PKIX trust manager and its name against the certificate's dNSName entries, on the
 * crypto provider the bctls backend gives Bouncy Castle. It is what the bctls backend runs under
 * core, so the bctls socket rows measure core alone; BCJSSE, the JSSE provider on the same API,
 * adds a layer of its own (the "through an SSLEngine" rows, whose raw side is BCJSSE's engine, the
 * provider's only one). The socket wrapper around the streams is core's {@link StreamSslSocket}, the
 * one the backend returns, so that both sides read and write through the same class.
 */
final class RawBcProtocol extends Client {
    /**
     * The bctls backend's own number-to-name table ({@code CipherSuites.name}), looked up once: the
     * same names on both paths, and no work per handshake on the anchor's side that the backend's
     * side does not do.
     */
    private static final java.lang.invoke.MethodHandle SUITE_NAME = suiteName();

    private final JcaTlsCrypto crypto;
    private final X509TrustManager trust;
    private final ProtocolVersion[] versions;

    RawBcProtocol(JcaTlsCryptoProvider cryptoProvider, TlsVersion version, X509TrustManager trust) {
        this.crypto = cryptoProvider.create(new SecureRandom());
        this.trust = trust;
        this.versions = new ProtocolVersion[] {ProtocolVersion.get((version.wireCode() >> 8) & 0xff,
                version.wireCode() & 0xff)};
    }

    private static java.lang.invoke.MethodHandle suiteName() {
        try {
            java.lang.reflect.Method m = Class.forName("dev.tlsupgrade.bctls.CipherSuites").getDeclaredMethod("name",
                    int.class);
            m.setAccessible(true);
            return java.lang.invoke.MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the bctls backend's suite names: " + e, e);
        }
    }

    @Override
    SSLSocket upgrade(Socket plain, int port, String host) throws IOException {
        TlsClientProtocol protocol = new TlsClientProtocol(plain.getInputStream(), plain.getOutputStream());
        Checked client = new Checked(host);
        protocol.connect(client);
        return new StreamSslSocket(plain, protocol.getInputStream(), protocol.getOutputStream(),
                new FixedSession(null, client.version(), client.suite(), client.chain, List.of(), host, port, 16_709,
                        16_384), null,
                protocol::close);
    }

    /** DefaultTlsClient with the version, the name and the checks set. */
    private final class Checked extends DefaultTlsClient {
        private final String host;
        private List<X509Certificate> chain = List.of();

        Checked(String host) {
            super(crypto);
            this.host = host;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return versions;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            Vector<ServerName> names = new Vector<>();
            names.add(new ServerName(org.bouncycastle.tls.NameType.host_name, host.getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)));
            return names;
        }

        String version() {
            return context.getServerVersion().getName();
        }

        /** The negotiated suite by its IANA name, as the bctls backend names it. */
        String suite() {
            try {
                return (String) SUITE_NAME.invokeExact(context.getSecurityParametersConnection().getCipherSuite());
            } catch (Throwable e) {
                throw new IllegalStateException("cannot name the negotiated suite: " + e, e);
            }
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    try {
                        CertificateFactory factory = CertificateFactory.getInstance("X.509");
                        X509Certificate[] x509 = new X509Certificate[serverCertificate.getCertificate().getLength()];
                        for (int i = 0; i < x509.length; i++) {
                            x509[i] = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                                    serverCertificate.getCertificate().getCertificateAt(i).getEncoded()));
                        }
                        trust.checkServerTrusted(x509, "UNKNOWN");
                        if (!namesHost(x509[0])) {
                            throw new CertificateException("the certificate is not for " + host);
                        }
                        chain = List.of(x509);
                    } catch (GeneralSecurityException e) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return null;
                }
            };
        }

        /** RFC 6125 on dNSName entries: the name itself, or a wildcard for its whole first label. */
        private boolean namesHost(X509Certificate leaf) throws CertificateException {
            String name = host.toLowerCase(Locale.ROOT);
            if (leaf.getSubjectAlternativeNames() == null) {
                return false;
            }
            for (List<?> entry : leaf.getSubjectAlternativeNames()) {
                if (!Integer.valueOf(2).equals(entry.get(0))) {
                    continue;
                }
                String san = ((String) entry.get(1)).toLowerCase(Locale.ROOT);
                int dot = name.indexOf('.');
                if (san.equals(name) || san.startsWith("*.") && dot > 0 && san.substring(1).equals(name.substring(dot))) {
                    return true;
                }
            }
            return false;
        }
    }
}
