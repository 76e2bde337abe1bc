package dev.tlsupgrade;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import javax.net.ssl.SSLSocket;

/**
 * Remembers the {@link TlsHandshakeInfo} of each socket an upgrader returned, for as long as the
 * socket is reachable. Sockets compare by identity, so a weak map keyed by them is enough.
 */
final class HandshakeRegistry {
    private static final Map<SSLSocket, TlsHandshakeInfo> INFOS = Collections.synchronizedMap(new WeakHashMap<>());

    private HandshakeRegistry() {
    }

    static void register(SSLSocket socket, TlsHandshakeInfo info) {
        INFOS.put(socket, info);
    }

    static Optional<TlsHandshakeInfo> lookup(SSLSocket socket) {
        return socket == null ? Optional.empty() : Optional.ofNullable(INFOS.get(socket));
    }
}
