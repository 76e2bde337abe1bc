package dev.tlsupgrade.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One backend configured for one {@link dev.tlsupgrade.TlsClientConfig}: it runs handshakes on
 * connected sockets. Thread-safe: core calls {@link #handshake} from many threads at once.
 */
public interface BackendConnector extends AutoCloseable {
    /**
     * Layers TLS on {@code request.socket()} and completes the handshake, returning the provider's
     * socket. On failure it throws the provider's exception unchanged (core explains it) and leaves
     * no native resource behind; core closes the socket.
     */
    SSLSocket handshake(HandshakeRequest request) throws IOException;

    /**
     * A client engine for one connection, configured as {@link #handshake} would configure a socket
     * (versions, suites, SNI, ALPN, core's trust manager), its handshake not begun. Core drives it
     * behind the engine users get from {@link dev.tlsupgrade.TlsUpgrader#sslContext()}.
     */
    BackendEngine engine(EngineRequest request);

    /**
     * The cipher suites (IANA names, preference order) this connector offers: the config's pinned
     * suites, or the provider's defaults for this config. Sockets from
     * {@link dev.tlsupgrade.TlsUpgrader#socketFactory()} report them and let clients narrow them.
     */
    List<String> enabledCipherSuites();

    /**
     * The DER-encoded OCSP response the server stapled to the handshake of {@code socket} (a socket
     * this connector returned), for backends with {@code OCSP_STAPLING}; empty when none was stapled.
     */
    default Optional<byte[]> stapledOcspResponse(SSLSocket socket) {
        return Optional.empty();
    }

    /** As {@link #stapledOcspResponse(SSLSocket)}, for an engine this connector made. */
    default Optional<byte[]> stapledOcspResponse(javax.net.ssl.SSLEngine engine) {
        return Optional.empty();
    }

    /**
     * Exports keying material from {@code socket} (a socket this connector returned), for backends
     * with {@code KEYING_MATERIAL_EXPORT}; {@code context} null means no context.
     */
    default byte[] exportKeyingMaterial(SSLSocket socket, String label, byte[] context, int length)
            throws javax.net.ssl.SSLException {
        throw new UnsupportedOperationException("this backend cannot export keying material");
    }

    /** Releases what the connector holds (native contexts); sockets already returned stay usable. */
    @Override
    default void close() {
    }
}
