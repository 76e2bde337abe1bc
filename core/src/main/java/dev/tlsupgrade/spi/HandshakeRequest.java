package dev.tlsupgrade.spi;

import java.net.Socket;
import java.util.Objects;

/**
 * One socket handshake for a backend to run: the socket to layer on, and the connection's names and
 * versions ({@link #target()}), which an engine of the same connection would get alike.
 */
public final class HandshakeRequest {
    private final Socket socket;
    private final EngineRequest target;

    public HandshakeRequest(Socket socket, EngineRequest target) {
        this.socket = Objects.requireNonNull(socket);
        this.target = Objects.requireNonNull(target);
    }

    /** The connected socket to layer TLS on (core's observing wrapper of the caller's socket). */
    public Socket socket() {
        return socket;
    }

    /** The names and versions, as for an engine of the same connection. */
    public EngineRequest target() {
        return target;
    }
}
