package dev.tlsupgrade.jsse;

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
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * One SSLContext of SunJSSE built from one config (never the JVM's default context), and layered
 * sockets made from it with SNI, versions, suites and ALPN set explicitly on each.
 */
final class JsseConnector implements BackendConnector {
    private final SSLSocketFactory factory;
    private final TlsClientConfig config;
    private final String[] cipherSuites;

    JsseConnector(Provider provider, ConnectorSettings settings) {
        this.config = settings.config();
        try {
            SSLContext context = SSLContext.getInstance("TLS", provider);
            KeyManager[] keys = settings.keyManager().map(k -> new KeyManager[] {k}).orElse(null);
            context.init(keys, new TrustManager[] {settings.trustManager()}, null);
            this.factory = context.getSocketFactory();
            this.cipherSuites = checkedSuites(context, config.cipherSuites());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise SunJSSE: " + e, e);
        }
    }

    private static String[] checkedSuites(SSLContext context, List<String> wanted) {
        if (wanted.isEmpty()) {
            return null;
        }
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        for (String s : wanted) {
            if (!supported.contains(s)) {
                throw new IllegalArgumentException("jsse does not know the cipher suite " + s);
            }
        }
        return wanted.toArray(new String[0]);
    }

    @Override
    public SSLSocket handshake(HandshakeRequest request) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket(request.socket(), request.peerHost(), request.port(), true);
        SSLParameters params = socket.getSSLParameters();
        params.setProtocols(request.protocols().toArray(new String[0]));
        if (cipherSuites != null) {
            params.setCipherSuites(cipherSuites);
        }
        List<SNIServerName> names = request.sniHostName()
                .<List<SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of());
        params.setServerNames(names);
        if (!config.alpn().isEmpty()) {
            params.setApplicationProtocols(config.alpn().toArray(new String[0]));
        }
        // Host names are checked by core's trust manager, the same way for every backend.
        params.setEndpointIdentificationAlgorithm(null);
        socket.setSSLParameters(params);
        socket.setUseClientMode(true);
        socket.startHandshake();
        return socket;
    }
}
