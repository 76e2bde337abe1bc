package dev.tlsupgrade.internal;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.internal.policy.DhGroupPolicy;
import dev.tlsupgrade.spi.BackendConnector;
import dev.tlsupgrade.spi.BackendEngine;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.EngineRequest;
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
            closeQuietly(engine);
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
        EngineRequest target = request.target();
        SSLSocket socket = (SSLSocket) factory.createSocket(request.socket(), target.peerHost(), target.port(), true);
        try {
            socket.setSSLParameters(parameters(target));
            socket.setUseClientMode(true);
            configure(socket, target);
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

    @Override
    public final BackendEngine engine(EngineRequest request) {
        SSLEngine engine = context.createSSLEngine(request.peerHost(), request.port());
        Runnable release = () -> closeQuietly(engine);
        try {
            engine.setUseClientMode(true);
            engine.setSSLParameters(parameters(request));
            configure(engine, request);
            return new BackendEngine(engine, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * The same settings for a socket and an engine. Fresh parameters rather than a copy of the
     * provider's: what is left unset keeps the context's defaults, and Conscrypt builds its copy by
     * reflection on every call (profiled).
     */
    private SSLParameters parameters(EngineRequest request) {
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
        return params;
    }

    /** Closes an engine both ways, which frees what a provider holds natively (Conscrypt). */
    private static void closeQuietly(SSLEngine engine) {
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (javax.net.ssl.SSLException | RuntimeException ignored) {
            // closing without the peer's close_notify: what a release means
        }
    }

    /** Provider-specific settings on a fresh socket, after the standard ones; nothing by default. */
    protected void configure(SSLSocket socket, EngineRequest request) {
    }

    /** Provider-specific settings on a fresh engine, after the standard ones; nothing by default. */
    protected void configure(SSLEngine engine, EngineRequest request) {
    }
}
