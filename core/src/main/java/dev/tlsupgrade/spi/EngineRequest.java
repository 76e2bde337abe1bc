package dev.tlsupgrade.spi;

import dev.tlsupgrade.internal.policy.HostName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One connection for a backend to set up, whatever carries its bytes: the names to use and the
 * versions to offer. Core has already checked the input and decided the SNI rule; the backend
 * applies it as given. A socket handshake adds the socket ({@link HandshakeRequest}); an engine
 * needs nothing more.
 */
public final class EngineRequest {
    private final HostName peerHost;
    private final int port;
    private final String sniHostName;
    private final List<String> protocols;

    public EngineRequest(HostName peerHost, int port, String sniHostName, List<String> protocols) {
        this.peerHost = Objects.requireNonNull(peerHost);
        this.port = port;
        this.sniHostName = sniHostName;
        this.protocols = List.copyOf(protocols);
    }

    /**
     * The name to create the provider socket or engine with: the session's peer host, the name core's
     * trust manager checks the certificate against, and the session cache key with {@link #port()}.
     */
    public String peerHost() {
        return peerHost.name();
    }

    /** {@link #peerHost()} as a checked {@link HostName}. */
    public HostName peerHostName() {
        return peerHost;
    }

    public int port() {
        return port;
    }

    /**
     * The SNI host name to send, set explicitly (providers skip SNI for single-label names such as
     * {@code localhost}); empty means send none (IP literals), which the backend must also enforce.
     */
    public Optional<String> sniHostName() {
        return Optional.ofNullable(sniHostName);
    }

    /** The versions to enable, JSSE names, oldest first. */
    public List<String> protocols() {
        return protocols;
    }
}
