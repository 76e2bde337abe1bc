package dev.tlsupgrade.conscrypt;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.conscrypt.Conscrypt;

/**
 * One Conscrypt SSLContext per config. Its factory makes Conscrypt's engine-based sockets (a
 * per-factory setting): they read and write through the layered socket's streams, where core
 * observes the handshake, instead of grabbing the file descriptor underneath.
 */
final class ConscryptConnector implements BackendConnector {
    private final SSLSocketFactory factory;
    private final TlsClientConfig config;
    private final String[] cipherSuites;

    ConscryptConnector(Provider provider, ConnectorSettings settings) {
        this.config = settings.config();
        try {
            SSLContext context = SSLContext.getInstance("TLS", provider);
            KeyManager[] keys = settings.keyManager().map(k -> new KeyManager[] {k}).orElse(null);
            context.init(keys, new TrustManager[] {settings.trustManager()}, null);
            this.factory = context.getSocketFactory();
            Conscrypt.setUseEngineSocket(factory, true);
            this.cipherSuites = checkedSuites(context, config.cipherSuites());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise Conscrypt: " + e, e);
        }
    }

    private static String[] checkedSuites(SSLContext context, List<String> wanted) {
        if (wanted.isEmpty()) {
            return null;
        }
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        for (String s : wanted) {
            if (!supported.contains(s)) {
                throw new IllegalArgumentException("conscrypt does not know the cipher suite " + s);
            }
        }
        return wanted.toArray(new String[0]);
    }

    @Override
    public SSLSocket handshake(HandshakeRequest request) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket(request.socket(), request.peerHost(), request.port(), true);
        try {
            String[] protocols = request.protocols().toArray(new String[0]);
            socket.setEnabledProtocols(protocols);
            if (!Arrays.asList(socket.getEnabledProtocols()).containsAll(request.protocols())) {
                // Conscrypt drops versions it does not support without a word; never let that reach the wire.
                throw new IllegalStateException("conscrypt silently dropped protocols: asked " + request.protocols()
                        + ", enabled " + Arrays.toString(socket.getEnabledProtocols()));
            }
            if (cipherSuites != null) {
                socket.setEnabledCipherSuites(cipherSuites);
            }
            // Conscrypt sends its hostname as SNI; for an IP literal peer host it sends none (and keeps the
            // IP as the session's peer host, which core's trust manager checks).
            request.sniHostName().ifPresent(name -> Conscrypt.setHostname(socket, name));
            if (!config.namedGroups().isEmpty()) {
                Conscrypt.setNamedGroups(socket, config.namedGroups().toArray(new String[0]));
            }
            if (!config.alpn().isEmpty()) {
                Conscrypt.setApplicationProtocols(socket, config.alpn().toArray(new String[0]));
            }
            SSLParameters params = socket.getSSLParameters();
            // Host names are checked by core's trust manager, the same way for every backend.
            params.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(params);
            socket.setUseClientMode(true);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException | RuntimeException ignored) {
            // the handshake failure is what the caller needs
        }
    }
}
