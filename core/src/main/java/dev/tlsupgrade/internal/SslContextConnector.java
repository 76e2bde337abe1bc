package dev.tlsupgrade.internal;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.HandshakeRequest;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A connector for any JSSE provider with layered sockets: one {@link SSLContext} of the provider
 * per config (never the JVM's default context), with core's trust manager and the config's key
 * manager, and per handshake a socket layered on the observed one with versions, suites, SNI and
 * ALPN set explicitly. A provider with its own ways overrides {@link #configure}.
 */
public class SslContextConnector implements BackendConnector {
    private final String backend;
    private final SSLContext context;
    private final SSLSocketFactory factory;
    private final String[] cipherSuites;
    private final TlsClientConfig config;
    private volatile List<String> enabledCipherSuites;

    public SslContextConnector(String backend, Provider provider, ConnectorSettings settings) {
        this.backend = backend;
        this.config = settings.config();
        try {
            this.context = SSLContext.getInstance("TLS", provider);
            KeyManager[] keys = settings.keyManager().map(k -> new KeyManager[] {k}).orElse(null);
            context.init(keys, new TrustManager[] {settings.trustManager()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise " + provider.getName() + " for " + backend + ": " + e, e);
        }
        this.factory = context.getSocketFactory();
        this.cipherSuites = checkedSuites(config.cipherSuites());
    }

    /** The config this connector serves. */
    protected final TlsClientConfig config() {
        return config;
    }

    /** The factory sockets are made with, for providers that set per-factory switches. */
    protected final SSLSocketFactory factory() {
        return factory;
    }

    private String[] checkedSuites(List<String> wanted) {
        if (wanted.isEmpty()) {
            return null;
        }
        List<String> supported = Arrays.asList(askEngine(context, SSLEngine::getSupportedCipherSuites));
        for (String s : wanted) {
            if (!supported.contains(s)) {
                throw new IllegalArgumentException(backend + " does not know the cipher suite " + s);
            }
        }
        return wanted.toArray(new String[0]);
    }

    /**
     * One question to a throwaway engine of {@code context}, closed before returning. Not the
     * context's getDefaultSSLParameters() or getSupportedSSLParameters(): they make a socket they never
     * close, which on Conscrypt holds two pipe descriptors until a GC (measured: 2,000 upgraders,
     * 4,000 descriptors). Conscrypt's backend asks its own questions through this too.
     */
    public static String[] askEngine(SSLContext context, java.util.function.Function<SSLEngine, String[]> question) {
        SSLEngine engine = context.createSSLEngine();
        try {
            return question.apply(engine);
        } finally {
            engine.closeOutbound();
            try {
                engine.closeInbound();
            } catch (javax.net.ssl.SSLException notStarted) {
                // nothing was exchanged; closing is all that was wanted
            }
        }
    }

    @Override
    public final List<String> enabledCipherSuites() {
        List<String> suites = enabledCipherSuites;
        if (suites == null) {
            suites = cipherSuites != null ? List.of(cipherSuites) : List.of(askEngine(context, SSLEngine::getEnabledCipherSuites));
            enabledCipherSuites = suites;
        }
        return suites;
    }

    @Override
    public final SSLSocket handshake(HandshakeRequest request) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket(request.socket(), request.peerHost(), request.port(), true);
        try {
            // Fresh parameters rather than a copy of the socket's: what is left unset keeps the context's
            // defaults, and Conscrypt builds its copy by reflection on every call (profiled).
            SSLParameters params = new SSLParameters();
            params.setProtocols(request.protocols().toArray(new String[0]));
            if (cipherSuites != null) {
                params.setCipherSuites(cipherSuites);
            }
            params.setServerNames(request.sniHostName()
                    .<List<SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of()));
            if (!config.alpn().isEmpty()) {
                params.setApplicationProtocols(config.alpn().toArray(new String[0]));
            }
            // Host names are checked by core's trust manager, the same way for every backend.
            params.setEndpointIdentificationAlgorithm(null);
            params.setAlgorithmConstraints(DhGroupPolicy.constraints(config));
            socket.setSSLParameters(params);
            socket.setUseClientMode(true);
            configure(socket, request);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException | RuntimeException ignored) {
                // the handshake failure is what the caller needs
            }
            throw e;
        }
    }

    /** Provider-specific settings on a fresh socket, after the standard ones; nothing by default. */
    protected void configure(SSLSocket socket, HandshakeRequest request) {
    }
}
