package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.EngineSocket;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.conscrypt.Conscrypt;

/**
 * A TLS client for the benchmarks, made one of two ways for the same backend: through tlsupgrade,
 * or through the provider used directly as its documentation shows ("raw": a layered
 * SSLSocketFactory socket with the provider's defaults, or for openssl the tcnative engine in
 * core's engine socket without the upgrader around it). Both trust the test CA and skip host name
 * checks, since every handshake uses a new name to defeat session resumption.
 */
abstract class Client implements AutoCloseable {
    /** A TLS socket on a new connection to {@code port}, handshake done. */
    abstract SSLSocket connect(int port, String host) throws IOException;

    @Override
    public void close() {
    }

    static Client create(String backend, String path, TlsVersion version) throws GeneralSecurityException, IOException {
        return path.equals("tlsupgrade") ? new Upgraded(backend, version) : raw(backend, version);
    }

    private static final class Upgraded extends Client {
        private final TlsUpgrader upgrader;

        Upgraded(String backend, TlsVersion version) {
            this.upgrader = TlsBackends.get(backend).newUpgrader(TlsClientConfig.builder().protocols(version)
                    .trustedCertificates(TestPki.get().caPem()).insecureSkipHostnameVerification().build());
        }

        @Override
        SSLSocket connect(int port, String host) throws IOException {
            return upgrader.upgrade(Loopback.connect(Loopback.v4(), port), host, port);
        }

        @Override
        public void close() {
            upgrader.close();
        }
    }

    private static TrustManagerFactory trust() throws GeneralSecurityException, IOException {
        return trust(TrustManagerFactory.getInstance("PKIX"));
    }

    private static TrustManagerFactory trust(TrustManagerFactory tmf) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", TestPki.get().root().certificate());
        tmf.init(ks);
        return tmf;
    }

    private static Client raw(String backend, TlsVersion version) throws GeneralSecurityException, IOException {
        switch (backend) {
            case "jsse":
                return new Layered(java.security.Security.getProvider("SunJSSE"), version, trust());
            case "conscrypt":
                // With the JDK's trust manager Conscrypt cannot do TLS 1.3 ("Unknown authType: GENERIC");
                // used directly it needs its own.
                Provider conscrypt = Conscrypt.newProvider();
                return new Layered(conscrypt, version, trust(TrustManagerFactory.getInstance("PKIX", conscrypt)));
            case "bctls":
                return new Layered(new BouncyCastleJsseProvider(new BouncyCastleProvider()), version, trust());
            case "openssl":
                return new RawEngine(version);
            default:
                throw new IllegalArgumentException(backend);
        }
    }

    private static final class Layered extends Client {
        private final SSLSocketFactory factory;
        private final String[] protocols;

        Layered(Provider provider, TlsVersion version, TrustManagerFactory trust) throws GeneralSecurityException {
            SSLContext ctx = SSLContext.getInstance("TLS", provider);
            ctx.init(null, trust.getTrustManagers(), null);
            this.factory = ctx.getSocketFactory();
            this.protocols = new String[] {version.jsseName()};
        }

        @Override
        SSLSocket connect(int port, String host) throws IOException {
            SSLSocket s = (SSLSocket) factory.createSocket(Loopback.connect(Loopback.v4(), port), host, port, true);
            s.setEnabledProtocols(protocols);
            s.startHandshake();
            return s;
        }
    }

    private static final class RawEngine extends Client {
        private final SslContext context;

        RawEngine(TlsVersion version) throws GeneralSecurityException, IOException {
            this.context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT).trustManager(trust())
                    .protocols(List.of(version.jsseName())).endpointIdentificationAlgorithm(null).build();
        }

        @Override
        SSLSocket connect(int port, String host) throws IOException {
            SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, host, port);
            Socket plain = Loopback.connect(Loopback.v4(), port);
            EngineSocket s = new EngineSocket(plain, engine, () -> ReferenceCountUtil.release(engine));
            s.startHandshake();
            return s;
        }

        @Override
        public void close() {
            ReferenceCountUtil.release(context);
        }
    }
}
