package dev.tlsupgrade;

import dev.tlsupgrade.internal.policy.HostName;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a client set on one socket before its handshake, through the standard {@code SSLSocket}
 * calls, narrowing the upgrader's config: versions, cipher suites, ALPN protocols and the server
 * name. A null field means "as the config says". Immutable; {@link #NONE} changes nothing.
 */
record SocketSettings(Set<TlsVersion> protocols, List<String> cipherSuites, List<String> alpn, HostName serverName) {
    static final SocketSettings NONE = new SocketSettings(null, null, null, null);

    SocketSettings {
        protocols = protocols == null ? null : Set.copyOf(EnumSet.copyOf(protocols));
        cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
        alpn = alpn == null ? null : List.copyOf(alpn);
    }

    SocketSettings withProtocols(Set<TlsVersion> p) {
        return new SocketSettings(p, cipherSuites, alpn, serverName);
    }

    SocketSettings withCipherSuites(List<String> s) {
        return new SocketSettings(protocols, s, alpn, serverName);
    }

    SocketSettings withAlpn(List<String> a) {
        return new SocketSettings(protocols, cipherSuites, a, serverName);
    }

    SocketSettings withServerName(HostName n) {
        return new SocketSettings(protocols, cipherSuites, alpn, n);
    }

    /** True when only the server name (a per-connection matter) differs from the config. */
    boolean sameConnector() {
        return protocols == null && cipherSuites == null && alpn == null;
    }
}
