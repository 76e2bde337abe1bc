package dev.tlsupgrade.conscrypt;

import dev.tlsupgrade.internal.SslContextConnector;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.EngineRequest;
import java.security.Provider;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt's layered sockets, made engine-based (a per-factory switch): they read and write
 * through the observed socket's streams, where core sees the handshake, instead of grabbing the
 * file descriptor underneath. SNI, ALPN and named groups go through Conscrypt's own calls.
 */
final class ConscryptConnector extends SslContextConnector {
    ConscryptConnector(Provider provider, ConnectorSettings settings) {
        super("conscrypt", provider, settings);
        Conscrypt.setUseEngineSocket(factory(), true);
    }

    @Override
    public byte[] exportKeyingMaterial(SSLSocket socket, String label, byte[] context, int length)
            throws javax.net.ssl.SSLException {
        return Conscrypt.exportKeyingMaterial(socket, label, context, length);
    }

    @Override
    protected void configure(SSLSocket socket, EngineRequest request) {
        requireAll(socket.getEnabledProtocols(), request);
        // Conscrypt sends its hostname as SNI; for an IP literal peer host it sends none (and keeps the
        // IP as the session's peer host, which core's trust manager checks).
        request.sniHostName().ifPresent(name -> Conscrypt.setHostname(socket, name));
        if (!config().namedGroups().isEmpty()) {
            Conscrypt.setNamedGroups(socket, config().namedGroups().toArray(new String[0]));
        }
        if (!config().alpn().isEmpty()) {
            Conscrypt.setApplicationProtocols(socket, config().alpn().toArray(new String[0]));
        }
    }

    @Override
    protected void configure(SSLEngine engine, EngineRequest request) {
        requireAll(engine.getEnabledProtocols(), request);
        if (!config().namedGroups().isEmpty()) {
            // Conscrypt 2.9 sets groups on sockets only; offering its defaults instead would be a silent change.
            throw new IllegalArgumentException("conscrypt cannot set named groups " + config().namedGroups()
                    + " on an engine (only on sockets); leave namedGroups() unset or use the openssl backend");
        }
        request.sniHostName().ifPresent(name -> Conscrypt.setHostname(engine, name));
        if (!config().alpn().isEmpty()) {
            Conscrypt.setApplicationProtocols(engine, config().alpn().toArray(new String[0]));
        }
    }

    /** Conscrypt drops versions it does not support without a word; never let that reach the wire. */
    private static void requireAll(String[] enabled, EngineRequest request) {
        if (!Arrays.asList(enabled).containsAll(request.protocols())) {
            throw new IllegalStateException("conscrypt silently dropped protocols: asked " + request.protocols()
                    + ", enabled " + Arrays.toString(enabled));
        }
    }
}
