package dev.tlsupgrade.benchmarks;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.socket.EngineSocket;
import dev.tlsupgrade.internal.socket.ObservedSocket;
import dev.tlsupgrade.internal.wire.WireFacts;
import dev.tlsupgrade.internal.wire.WireRecorder;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.TestPki;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.conscrypt.Conscrypt;

/**
 * A TLS client for the benchmarks, made one of two ways for the same backend: through tlsupgrade,
 * or through the provider used directly as its documentation shows ("raw": a layered
 * SSLSocketFactory socket with the provider's defaults, or for openssl the tcnative engine in
 * core's engine socket without the upgrader around it). Both verify host names as users' clients
 * do (tlsupgrade its default way, raw through the provider's HTTPS endpoint identification) against
 * the {@code *.bench.test} certificate, so a fresh name per handshake still defeats resumption.
 * bctls' raw path is Bouncy Castle's own TLS API ({@link RawBcProtocol}), its engine path BCJSSE's
 * engine, both on the crypto provider the bctls backend gives Bouncy Castle.
 */
abstract class Client implements AutoCloseable {
    /** TLS over {@code plain}, connected to {@code port}, handshake done. */
    abstract SSLSocket upgrade(Socket plain, int port, String host) throws IOException;

    /** A TLS socket on a new connection to {@code port}, handshake done. */
    final SSLSocket connect(int port, String host) throws IOException {
        return upgrade(Loopback.connect(Loopback.v4(), port), port, host);
    }

    /**
     * Whether a second connection to {@code host} resumes the first one's session, read from the
     * ServerHello on the wire (the same parser the upgrader uses), so that a "resumed" row is one.
     * Each connection exchanges a byte with the echo server first: TLS 1.3 tickets arrive after
     * the handshake and are taken in by a read.
     */
    final boolean resumes(int port, String host) throws IOException {
        try (SSLSocket first = connect(port, host)) {
            exchangeByte(first);
        }
        WireRecorder recorder = new WireRecorder();
        try (SSLSocket second = upgrade(new ObservedSocket(Loopback.connect(Loopback.v4(), port), recorder), port, host)) {
            exchangeByte(second);
            return WireFacts.of(recorder.snapshot()).resumed();
        }
    }

    /** Writes one byte and reads its echo. */
    static void exchangeByte(SSLSocket s) throws IOException {
        s.getOutputStream().write(1);
        s.getOutputStream().flush();
        if (s.getInputStream().read() < 0) {
            throw new IOException("the echo server closed the connection");
        }
    }

    @Override
    public void close() {
    }

    static Client create(String backend, String path, TlsVersion version) throws GeneralSecurityException, IOException {
        return create(backend, path, version, TestPki.get().caPem());
    }

    /** A client trusting the CA in {@code caPem}: a child JVM trusts its parent's test PKI this way. */
    static Client create(String backend, String path, TlsVersion version, Path caPem) throws GeneralSecurityException, IOException {
        return switch (path) {
            case "tlsupgrade" -> new Upgraded(backend, version, caPem);
            case "raw" -> raw(backend, version, caPem);
            case "tlsupgrade-engine" -> new Engines(new Upgraded(backend, version, caPem).upgrader);
            case "raw-engine" -> rawEngines(backend, version, caPem);
            default -> throw new IllegalArgumentException(path);
        };
    }

    /**
     * Engines in one engine loop, core's {@link EngineSocket} (the loop the openssl backend's sockets
     * run): core's engines from {@code sslContext()}, or the provider's own, so that the two paths
     * differ by the engine alone. Each engine is closed both ways when its socket closes.
     */
    private static final class Engines extends Client {
        private final java.util.function.BiFunction<String, Integer, SSLEngine> engines;
        private final AutoCloseable owner;

        Engines(TlsUpgrader upgrader) {
            SSLContext context = upgrader.sslContext();
            this.engines = context::createSSLEngine;
            this.owner = upgrader;
        }

        Engines(java.util.function.BiFunction<String, Integer, SSLEngine> engines, AutoCloseable owner) {
            this.engines = engines;
            this.owner = owner;
        }

        @Override
        SSLSocket upgrade(Socket plain, int port, String host) throws IOException {
            SSLEngine engine = engines.apply(host, port);
            EngineSocket s = new EngineSocket(plain, engine, () -> {
                if (engine instanceof io.netty.util.ReferenceCounted counted) {
                    ReferenceCountUtil.release(counted);
                    return;
                }
                engine.closeOutbound();
                try {
                    engine.closeInbound();
                } catch (javax.net.ssl.SSLException noCloseNotify) {
                    // the benchmark closes without waiting for the server's close_notify
                }
            });
            s.startHandshake();
            return s;
        }

        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The provider's own engine, configured as the raw socket path configures its sockets. */
    private static Client rawEngines(String backend, TlsVersion version, Path caPem) throws GeneralSecurityException, IOException {
        if (backend.equals("openssl")) {
            RawEngine tcnative = new RawEngine(version, trust(TrustManagerFactory.getInstance("PKIX"), caPem));
            return new Engines((host, port) -> tcnative.context.newEngine(ByteBufAllocator.DEFAULT, host, port), tcnative);
        }
        Provider provider;
        TrustManagerFactory tmf;
        switch (backend) {
            case "jsse" -> {
                provider = java.security.Security.getProvider("SunJSSE");
                tmf = trust(TrustManagerFactory.getInstance("PKIX"), caPem);
            }
            case "conscrypt" -> {
                provider = Conscrypt.newProvider();
                tmf = trust(TrustManagerFactory.getInstance("PKIX", provider), caPem);
            }
            case "bctls" -> {
                provider = new BouncyCastleJsseProvider(false, backendCrypto());
                tmf = trust(TrustManagerFactory.getInstance("PKIX"), caPem);
            }
            default -> throw new IllegalArgumentException(backend);
        }
        SSLContext ctx = SSLContext.getInstance("TLS", provider);
        ctx.init(null, tmf.getTrustManagers(), new java.security.SecureRandom());
        String[] protocols = {version.jsseName()};
        return new Engines((host, port) -> {
            SSLEngine e = ctx.createSSLEngine(host, port);
            e.setUseClientMode(true);
            SSLParameters p = e.getSSLParameters();
            p.setProtocols(protocols);
            p.setEndpointIdentificationAlgorithm("HTTPS");
            e.setSSLParameters(p);
            return e;
        }, () -> { });
    }

    private static final class Upgraded extends Client {
        private final TlsUpgrader upgrader;

        Upgraded(String backend, TlsVersion version, Path caPem) {
            this.upgrader = TlsBackends.get(backend).newUpgrader(TlsClientConfig.builder().protocols(version)
                    .trustedCertificates(caPem).build());
        }

        @Override
        SSLSocket upgrade(Socket plain, int port, String host) throws IOException {
            return upgrader.upgrade(plain, host, port);
        }

        @Override
        public void close() {
            upgrader.close();
        }
    }

    static TrustManagerFactory trust(TrustManagerFactory tmf, Path caPem) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        tmf.init(ks);
        return tmf;
    }

    private static Client raw(String backend, TlsVersion version, Path caPem) throws GeneralSecurityException, IOException {
        TrustManagerFactory pkix = trust(TrustManagerFactory.getInstance("PKIX"), caPem);
        switch (backend) {
            case "jsse":
                return new Layered(java.security.Security.getProvider("SunJSSE"), version, pkix);
            case "conscrypt":
                // With the JDK's trust manager Conscrypt cannot do TLS 1.3 ("Unknown authType: GENERIC");
                // used directly it needs its own.
                Provider conscrypt = Conscrypt.newProvider();
                return new Layered(conscrypt, version, trust(TrustManagerFactory.getInstance("PKIX", conscrypt), caPem));
            case "bctls":
                return new RawBcProtocol(backendCrypto(), version, (javax.net.ssl.X509TrustManager) pkix.getTrustManagers()[0]);
            case "openssl":
                return new RawEngine(version, pkix);
            default:
                throw new IllegalArgumentException(backend);
        }
    }

    /**
     * The crypto provider the bctls backend hands BCJSSE (the JDK's ciphers and RSA, Bouncy Castle's
     * elliptic curves: {@code PerAlgorithmCrypto}), the same object kind on the raw side, so that bctls
     * rows compare BCJSSE alone with BCJSSE under core rather than two crypto mixes (BCJSSE's
     * documented {@code JcaTlsCryptoProvider} constructor takes it; the table under "Against the
     * machine" shows what the mix buys over Bouncy Castle's own). Reached by reflection: the class is
     * the backend's, not API.
     */
    private static org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider backendCrypto() {
        try {
            java.lang.reflect.Constructor<?> c = Class.forName("dev.tlsupgrade.bctls.PerAlgorithmCrypto")
                    .getDeclaredConstructor();
            c.setAccessible(true);
            return (org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider) c.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the bctls backend's crypto provider: " + e, e);
        }
    }

    private static final class Layered extends Client {
        private final SSLSocketFactory factory;
        private final String[] protocols;

        Layered(Provider provider, TlsVersion version, TrustManagerFactory trust) throws GeneralSecurityException {
            SSLContext ctx = SSLContext.getInstance("TLS", provider);
            // An explicit SecureRandom: BCJSSE over the JDK's crypto would look for Bouncy Castle's "DEFAULT" one.
            ctx.init(null, trust.getTrustManagers(), new java.security.SecureRandom());
            this.factory = ctx.getSocketFactory();
            this.protocols = new String[] {version.jsseName()};
        }

        @Override
        SSLSocket upgrade(Socket plain, int port, String host) throws IOException {
            SSLSocket s = (SSLSocket) factory.createSocket(plain, host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(protocols);
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        }
    }

    private static final class RawEngine extends Client {
        private final SslContext context;

        RawEngine(TlsVersion version, TrustManagerFactory trust) throws IOException {
            this.context = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL_REFCNT).trustManager(trust)
                    .protocols(List.of(version.jsseName())).endpointIdentificationAlgorithm("HTTPS").build();
        }

        @Override
        SSLSocket upgrade(Socket plain, int port, String host) throws IOException {
            SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, host, port);
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
