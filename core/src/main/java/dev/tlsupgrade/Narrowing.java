package dev.tlsupgrade;

import dev.tlsupgrade.internal.policy.HostName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * What a client sets on one connection through the standard calls, the same for core's socket and
 * core's engine: before the handshake it narrows the upgrader's config (versions, suites, ALPN, the
 * server name) and can never widen it; after the handshake a setting the finished handshake already
 * satisfies changes nothing, and one that would need a new handshake is refused. The facade holds
 * its own lock around every call.
 */
final class Narrowing {
    /** What a finished handshake settled, which later settings must agree with. */
    record Done(SSLSession session, String applicationProtocol, List<SNIServerName> sentServerNames) {
    }

    private final TlsUpgrader upgrader;
    private SocketSettings settings = SocketSettings.NONE;
    /** The host the client named; null while an unconnected socket has none. */
    private volatile String host;

    Narrowing(TlsUpgrader upgrader, String host) {
        this.upgrader = upgrader;
        this.host = host;
    }

    SocketSettings settings() {
        return settings;
    }

    void host(String name) {
        this.host = name;
    }

    String host() {
        return host;
    }

    Set<TlsVersion> protocols() {
        return settings.protocols() != null ? settings.protocols() : upgrader.config().protocols();
    }

    List<String> cipherSuites() {
        return settings.cipherSuites() != null ? settings.cipherSuites() : upgrader.enabledCipherSuites();
    }

    List<String> alpn() {
        return settings.alpn() != null ? settings.alpn() : upgrader.config().alpn();
    }

    static String[] names(Set<TlsVersion> versions) {
        return versions.stream().sorted().map(TlsVersion::jsseName).toArray(String[]::new);
    }

    /** The versions the connection may offer: the config's, whatever a client narrowed. */
    String[] supportedProtocols() {
        return names(upgrader.config().protocols());
    }

    /** The suites the connection may offer: the config's pinned suites or the backend's defaults for it. */
    String[] supportedCipherSuites() {
        return upgrader.enabledCipherSuites().toArray(new String[0]);
    }

    void setProtocols(String[] protocols, Done done) {
        Set<TlsVersion> wanted = checkProtocols(protocols);
        if (done == null) {
            settings = settings.withProtocols(wanted.equals(upgrader.config().protocols()) ? null : wanted);
        } else {
            requireSatisfied("protocols", Arrays.asList(protocols), done.session().getProtocol());
        }
    }

    void setCipherSuites(String[] suites, Done done) {
        List<String> wanted = checkSuites(suites);
        if (done == null) {
            settings = settings.withCipherSuites(wanted.equals(upgrader.enabledCipherSuites()) ? null : wanted);
        } else {
            requireSatisfied("cipher suites", wanted, done.session().getCipherSuite());
        }
    }

    SSLParameters parameters(Done done) {
        SSLParameters p = new SSLParameters(cipherSuites().toArray(new String[0]), names(protocols()));
        p.setServerNames(done != null ? done.sentServerNames() : plannedServerNames());
        p.setApplicationProtocols(alpn().toArray(new String[0]));
        p.setEndpointIdentificationAlgorithm(upgrader.config().skipsHostnameVerification() ? null : "HTTPS");
        return p;
    }

    /** The SNI the handshake will send, as the client's settings and the config say now. */
    List<SNIServerName> plannedServerNames() {
        HostName name = settings.serverName() != null ? settings.serverName() : upgrader.config().serverHostName();
        if (name == null && host != null) {
            name = HostName.of(host);
        }
        return name == null || name.isIpLiteral() ? List.of() : List.of(new SNIHostName(name.name()));
    }

    /**
     * Applies what {@code params} sets: versions, suites, ALPN and the SNI server name narrow the
     * handshake; null (and an empty ALPN list) mean unchanged. Host names are verified whatever the
     * endpoint identification algorithm says. Server-side settings and algorithm constraints are
     * refused: core cannot honour them.
     */
    void setParameters(SSLParameters params, Done done) {
        Objects.requireNonNull(params, "params");
        if (params.getNeedClientAuth() || params.getWantClientAuth()) {
            throw new IllegalArgumentException("client authentication is a server setting; tlsupgrade is a client");
        }
        if (params.getAlgorithmConstraints() != null) {
            throw new IllegalArgumentException("algorithm constraints cannot be set per connection: tlsupgrade applies "
                    + "one algorithm policy on every backend");
        }
        Set<TlsVersion> protocols = params.getProtocols() == null ? null : checkProtocols(params.getProtocols());
        List<String> suites = params.getCipherSuites() == null ? null : checkSuites(params.getCipherSuites());
        String[] alpnArray = params.getApplicationProtocols();
        List<String> alpn = alpnArray == null || alpnArray.length == 0 ? null : checkAlpn(alpnArray);
        HostName serverName = serverName(params.getServerNames(), done == null);
        if (done == null) {
            SocketSettings s = settings;
            if (protocols != null) {
                s = s.withProtocols(protocols.equals(upgrader.config().protocols()) ? null : protocols);
            }
            if (suites != null) {
                s = s.withCipherSuites(suites.equals(upgrader.enabledCipherSuites()) ? null : suites);
            }
            if (alpn != null) {
                s = s.withAlpn(alpn.equals(upgrader.config().alpn()) ? null : alpn);
            }
            if (serverName != null) {
                s = s.withServerName(serverName);
            }
            settings = s;
            return;
        }
        if (protocols != null) {
            requireSatisfied("protocols", Arrays.asList(names(protocols)), done.session().getProtocol());
        }
        if (suites != null) {
            requireSatisfied("cipher suites", suites, done.session().getCipherSuite());
        }
        if (alpn != null && !alpn.equals(alpn())) {
            String chosen = done.applicationProtocol();
            if (!alpn.contains(chosen)) {
                throw new IllegalStateException("the handshake is over and agreed on ALPN '" + chosen + "', which "
                        + "the new list " + alpn + " does not hold; set ALPN before the handshake");
            }
        }
        if (serverName != null && !List.of(new SNIHostName(serverName.name())).equals(done.sentServerNames())) {
            throw new IllegalStateException("the handshake is over and sent the server name " + done.sentServerNames()
                    + "; a different name would need a new handshake");
        }
    }

    private Set<TlsVersion> checkProtocols(String[] protocols) {
        Objects.requireNonNull(protocols, "protocols");
        if (protocols.length == 0) {
            throw new IllegalArgumentException("protocols: at least one version is needed");
        }
        Set<TlsVersion> wanted = EnumSet.noneOf(TlsVersion.class);
        List<String> refused = new ArrayList<>();
        for (String p : protocols) {
            TlsVersion v = TlsVersion.fromJsseName(p).orElse(null);
            if (v == null || !upgrader.config().protocols().contains(v)) {
                refused.add(p);
            } else {
                wanted.add(v);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("protocols " + refused + " are not among this upgrader's "
                    + upgrader.config().protocolNames() + "; a client can narrow the config's versions, not widen them "
                    + "(TLS 1.0/1.1 need TlsClientConfig.protocols(...) with allowLegacyProtocols())");
        }
        return wanted;
    }

    private List<String> checkSuites(String[] suites) {
        Objects.requireNonNull(suites, "suites");
        List<String> allowed = upgrader.enabledCipherSuites();
        List<String> wanted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String s : suites) {
            if (!allowed.contains(s)) {
                refused.add(s);
            } else if (!wanted.contains(s)) {
                wanted.add(s);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("cipher suites " + refused + " are not among the " + allowed.size()
                    + " this upgrader offers (getSupportedCipherSuites()); a client can narrow them, not widen them");
        }
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("cipher suites: at least one suite is needed");
        }
        return wanted;
    }

    private static void requireSatisfied(String what, List<String> wanted, String negotiated) {
        if (!wanted.contains(negotiated)) {
            throw new IllegalStateException("the handshake is over and negotiated " + negotiated + ", which the new "
                    + what + " " + wanted + " exclude; that would need a new handshake, and tlsupgrade never "
                    + "renegotiates. Set " + what + " before the handshake");
        }
    }

    private List<String> checkAlpn(String[] protocols) {
        if (!upgrader.backend().capabilities().has(TlsFeature.ALPN)) {
            throw new IllegalArgumentException("backend " + upgrader.backend().name() + " cannot offer ALPN "
                    + Arrays.toString(protocols));
        }
        for (String p : protocols) {
            if (p == null || p.isEmpty() || p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("ALPN protocol '" + p + "' must be 1 to 255 bytes");
            }
        }
        return List.of(protocols);
    }

    /** The SNI host name in {@code names}; null when it leaves the name as planned. */
    private HostName serverName(List<SNIServerName> names, boolean beforeHandshake) {
        if (names == null) {
            return null;
        }
        String wanted = null;
        for (SNIServerName n : names) {
            if (n instanceof SNIHostName h) {
                wanted = h.getAsciiName();
            } else if (n.getType() == 0) {
                wanted = new SNIHostName(n.getEncoded()).getAsciiName();
            }
        }
        if (wanted == null) {
            if (beforeHandshake && !plannedServerNames().isEmpty()) {
                throw new IllegalArgumentException("tlsupgrade sends SNI for every host name; it cannot be turned off "
                        + "with an empty server name list");
            }
            return null;
        }
        HostName name = HostName.of(wanted);
        HostName fixed = upgrader.config().serverHostName();
        if (fixed != null && !fixed.name().equals(name.name())) {
            throw new IllegalArgumentException("the server name '" + wanted + "' contradicts the config's serverName('"
                    + fixed.name() + "')");
        }
        return name;
    }
}
