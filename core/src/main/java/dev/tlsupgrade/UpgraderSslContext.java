package dev.tlsupgrade;

import dev.tlsupgrade.internal.policy.HostName;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Enumeration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The {@link SSLContext} of {@link TlsUpgrader#sslContext()}: an instance made from core's own
 * {@link SSLContextSpi}, never registered JVM-wide. Engines are {@link UpgradedEngine}s, the socket
 * factory is the upgrader's, and the parameters are the config's, in the same order on every backend.
 */
final class UpgraderSslContext extends SSLContext {
    UpgraderSslContext(TlsUpgrader upgrader) {
        super(new Spi(upgrader), new UpgraderProvider(upgrader), "TLS");
    }

    /** The context's behaviour; the provider makes one per {@code SSLContext.getInstance}. */
    static final class Spi extends SSLContextSpi {
        private final TlsUpgrader upgrader;

        Spi(TlsUpgrader upgrader) {
            this.upgrader = upgrader;
        }

        /** Accepts {@code init(null, null, null)} (a random is allowed, and unused); refuses key or trust managers. */
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            if (km != null || tm != null) {
                throw new KeyManagementException("this SSLContext takes its trust and client certificate from the "
                        + "TlsClientConfig of " + upgrader + "; set them there (trustedCertificates, clientCertificate), "
                        + "not through init");
            }
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return upgrader.socketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException(clientOnly());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new UpgradedEngine(upgrader, null, -1);
        }

        /** An engine for {@code host}, checked now: a URL or a bad name is refused before any byte. */
        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            if (host != null) {
                HostName.of(host);
            }
            if (port != -1 && (port < 1 || port > 65535)) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535 (-1: unknown)");
            }
            return new UpgradedEngine(upgrader, host, port);
        }

        /** An empty context, as the client's: clients such as Jetty's ask for both at start. */
        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return new BackendSessions();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return new BackendSessions();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new Narrowing(upgrader, null).parameters(null);
        }

        /** What an engine may be narrowed to: the same as the defaults, since nothing can widen the config. */
        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return engineGetDefaultSSLParameters();
        }

        private String clientOnly() {
            return "tlsupgrade is a TLS client: " + upgrader + " has no server side";
        }
    }

    /**
     * The client session context: the backend keeps its sessions itself (resumption is the config's
     * {@code sessionResumption}), so there is nothing to list and nothing to tune here.
     */
    private static final class BackendSessions implements SSLSessionContext {
        @Override
        public SSLSession getSession(byte[] sessionId) {
            return null;
        }

        @Override
        public Enumeration<byte[]> getIds() {
            return Collections.emptyEnumeration();
        }

        @Override
        public void setSessionTimeout(int seconds) {
            throw new UnsupportedOperationException("the backend keeps its own session cache; turn resumption off with "
                    + "TlsClientConfig sessionResumption(false)");
        }

        /** 0: no limit this context sets (the backend's own cache decides). */
        @Override
        public int getSessionTimeout() {
            return 0;
        }

        @Override
        public void setSessionCacheSize(int size) {
            setSessionTimeout(size);
        }

        /** 0: no limit this context sets (the backend's own cache decides). */
        @Override
        public int getSessionCacheSize() {
            return 0;
        }
    }
}
