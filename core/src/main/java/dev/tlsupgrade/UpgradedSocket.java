package dev.tlsupgrade;

import dev.tlsupgrade.internal.FixedSession;
import dev.tlsupgrade.internal.HostName;
import dev.tlsupgrade.internal.LayeredSslSocket;
import dev.tlsupgrade.internal.X509Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
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
import javax.net.ssl.SSLSocket;

/**
 * The one {@link SSLSocket} every backend's upgrade returns: core's socket over the provider's TLS
 * socket, so that the standard lifecycle real clients call behaves the same whatever the backend.
 *
 * <p>Before its handshake (sockets from {@link TlsUpgrader#socketFactory()}) a client may narrow
 * what is offered: versions, cipher suites, ALPN and the server name, through the setters or
 * {@link SSLParameters}; nothing it sets can widen the upgrader's config. The handshake runs on
 * {@link #startHandshake()} or the first read or write, with all of core's checks, its timeout and
 * its diagnostics. After it, a setting the finished handshake already satisfies is accepted and
 * changes nothing (pgjdbc's {@code setUseClientMode(true)}, Angus Mail's {@code startHandshake()});
 * one that would need a new handshake is refused with an {@link IllegalStateException}. There is
 * never a renegotiation.
 *
 * <p>Socket options go to the plain socket underneath; reads and writes go straight to the
 * provider's streams once the handshake is done.
 */
final class UpgradedSocket extends LayeredSslSocket {
    private final TlsUpgrader upgrader;
    private final boolean autoClose;
    private final Object handshakeLock = new Object();

    /** The host and port as the client named them; null host until an unconnected socket connects. */
    private String host;
    private int port;
    private SocketSettings settings = SocketSettings.NONE;

    private volatile SSLSocket tls;
    private volatile SSLSession session;
    private volatile TlsHandshakeInfo info;
    private volatile dev.tlsupgrade.spi.BackendConnector connector;
    private volatile List<SNIServerName> sentServerNames = List.of();
    private volatile boolean closed;
    private boolean closeCalled;
    private volatile IOException failure;

    /**
     * @param plain the plain socket: connected (with {@code host} and {@code port}), or unconnected
     *     (host null) until {@link #connect(SocketAddress, int)}
     * @param autoClose whether closing this socket, or a failed handshake, closes {@code plain}
     */
    UpgradedSocket(TlsUpgrader upgrader, Socket plain, boolean autoClose, String host, int port) {
        super(plain);
        this.upgrader = upgrader;
        this.autoClose = autoClose;
        this.host = host;
        this.port = port;
    }

    /** Keying material from the finished connection, through the backend that made it. */
    byte[] exportKeyingMaterial(String label, byte[] context, int length) throws IOException {
        SSLSocket t = handshaken();
        requireOpen();
        return connector.exportKeyingMaterial(t, label, context, length);
    }

    /** The handshake facts, once the handshake is done. */
    TlsHandshakeInfo info() {
        return info;
    }

    /**
     * Connects the plain socket and takes the server name from {@code endpoint} (as given, never by
     * reverse lookup). A timeout of 0 means the upgrader's handshake timeout: nothing waits forever.
     */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("endpoint must be an InetSocketAddress, not " + endpoint);
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative");
        }
        String name = address.getHostString();
        HostName.of(name);
        synchronized (handshakeLock) {
            if (closed) {
                throw new SocketException("socket is closed");
            }
            int millis = timeout > 0 ? timeout : (int) Math.min(Integer.MAX_VALUE, upgrader.config().handshakeTimeout().toMillis());
            socket().connect(endpoint, millis);
            this.host = name;
            this.port = address.getPort();
        }
    }

    @Override
    public void startHandshake() throws IOException {
        boolean first;
        synchronized (handshakeLock) {
            first = handshakeLocked();
        }
        if (first) {
            handshakeCompleted(session);
        }
    }

    /** Runs the handshake unless it ran; true when this call ran it. Caller holds handshakeLock. */
    private boolean handshakeLocked() throws IOException {
        if (failure != null) {
            throw new SocketException("the TLS handshake of this socket failed earlier: " + failure.getMessage());
        }
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
        if (tls != null) {
            return false; // done: never a second handshake
        }
        if (!socket().isConnected() || host == null) {
            throw new SocketException("the socket is not connected; connect it before the handshake");
        }
        try {
            TlsUpgrader.Upgraded done = upgrader.handshake(socket(), host, port, settings, autoClose);
            info = done.info();
            connector = done.connector();
            sentServerNames = done.info().sniHostName()
                    .<List<SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of());
            session = new X509Session(done.socket().getSession(), sentServerNames);
            tls = done.socket();
            if (closed) { // closed by another thread while the handshake ran: release what it made
                done.socket().close();
                throw new SocketException("socket is closed");
            }
            return true;
        } catch (IOException e) {
            failure = e;
            closed = true;
            throw e;
        }
    }

    private SSLSocket handshaken() throws IOException {
        SSLSocket t = tls;
        if (t == null) {
            startHandshake();
            t = tls;
        }
        return t;
    }

    private void requireOpen() throws SocketException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireOpen();
        SSLSocket t = tls;
        if (t != null) {
            return t.getInputStream();
        }
        if (!socket().isConnected()) {
            throw new SocketException("the socket is not connected");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return handshaken().getInputStream().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return handshaken().getInputStream().read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                SSLSocket done = tls;
                return done == null ? 0 : done.getInputStream().available();
            }

            @Override
            public void close() throws IOException {
                UpgradedSocket.this.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireOpen();
        SSLSocket t = tls;
        if (t != null) {
            return t.getOutputStream();
        }
        if (!socket().isConnected()) {
            throw new SocketException("the socket is not connected");
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                handshaken().getOutputStream().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                handshaken().getOutputStream().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                SSLSocket done = tls;
                if (done != null) {
                    done.getOutputStream().flush();
                }
            }

            @Override
            public void close() throws IOException {
                UpgradedSocket.this.close();
            }
        };
    }

    /**
     * The session of the finished handshake. Before it, as every {@code SSLSocket} does, this runs the
     * handshake; when that fails it returns an invalid session without certificates.
     */
    @Override
    public SSLSession getSession() {
        try {
            handshaken();
        } catch (IOException e) {
            // What SSLSocket promises for a failed handshake: a session that is invalid and has no peer.
            FixedSession none = new FixedSession(null, "NONE", "SSL_NULL_WITH_NULL_NULL", List.of(), List.of(), host,
                    port, 16709, 16384);
            none.invalidate();
            return none;
        }
        return session;
    }

    @Override
    public SSLSession getHandshakeSession() {
        return null;
    }

    @Override
    public String getApplicationProtocol() {
        SSLSocket t = tls;
        if (t == null) {
            return null;
        }
        String p = t.getApplicationProtocol();
        return p == null ? "" : p;
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return null;
    }

    // ---- what the handshake offers (or offered) ----

    private Set<TlsVersion> protocols() {
        return settings.protocols() != null ? settings.protocols() : upgrader.config().protocols();
    }

    private List<String> cipherSuites() {
        return settings.cipherSuites() != null ? settings.cipherSuites() : upgrader.enabledCipherSuites();
    }

    private List<String> alpn() {
        return settings.alpn() != null ? settings.alpn() : upgrader.config().alpn();
    }

    private static String[] names(Set<TlsVersion> versions) {
        return versions.stream().sorted().map(TlsVersion::jsseName).toArray(String[]::new);
    }

    /** The versions this socket may offer: the config's, whatever a client narrowed. */
    @Override
    public String[] getSupportedProtocols() {
        return names(upgrader.config().protocols());
    }

    @Override
    public String[] getEnabledProtocols() {
        return names(protocols());
    }

    /** The suites this socket may offer: the config's pinned suites or the backend's defaults for it. */
    @Override
    public String[] getSupportedCipherSuites() {
        return upgrader.enabledCipherSuites().toArray(new String[0]);
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return cipherSuites().toArray(new String[0]);
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        Set<TlsVersion> wanted = checkProtocols(protocols);
        synchronized (handshakeLock) {
            if (tls == null) {
                settings = settings.withProtocols(wanted.equals(upgrader.config().protocols()) ? null : wanted);
            } else {
                requireSatisfied("protocols", Arrays.asList(protocols), session.getProtocol());
            }
        }
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        List<String> wanted = checkSuites(suites);
        synchronized (handshakeLock) {
            if (tls == null) {
                settings = settings.withCipherSuites(wanted.equals(upgrader.enabledCipherSuites()) ? null : wanted);
            } else {
                requireSatisfied("cipher suites", wanted, session.getCipherSuite());
            }
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

    private void requireSatisfied(String what, List<String> wanted, String negotiated) {
        if (!wanted.contains(negotiated)) {
            throw new IllegalStateException("the handshake is over and negotiated " + negotiated + ", which the new "
                    + what + " " + wanted + " exclude; that would need a new handshake, and tlsupgrade never "
                    + "renegotiates. Set " + what + " before the handshake");
        }
    }

    @Override
    public SSLParameters getSSLParameters() {
        SSLParameters p = new SSLParameters(getEnabledCipherSuites(), getEnabledProtocols());
        p.setServerNames(tls != null ? sentServerNames : plannedServerNames());
        p.setApplicationProtocols(alpn().toArray(new String[0]));
        p.setEndpointIdentificationAlgorithm(upgrader.config().skipsHostnameVerification() ? null : "HTTPS");
        return p;
    }

    private List<SNIServerName> plannedServerNames() {
        HostName name = settings.serverName() != null ? settings.serverName() : upgrader.config().serverHostName();
        if (name == null && host != null) {
            name = HostName.of(host);
        }
        return name == null || name.isIpLiteral() ? List.of() : List.of(new SNIHostName(name.name()));
    }

    /**
     * Applies what {@code params} sets: versions, suites, ALPN and the SNI server name narrow this
     * socket's handshake; null (and an empty ALPN list) mean unchanged. Host names are verified
     * whatever the endpoint identification algorithm says. Server-side settings and algorithm
     * constraints are refused: this socket cannot honour them.
     */
    @Override
    public void setSSLParameters(SSLParameters params) {
        Objects.requireNonNull(params, "params");
        if (params.getNeedClientAuth() || params.getWantClientAuth()) {
            throw new IllegalArgumentException("client authentication is a server setting; this socket is a client");
        }
        if (params.getAlgorithmConstraints() != null) {
            throw new IllegalArgumentException("algorithm constraints cannot be set per socket: tlsupgrade applies one "
                    + "algorithm policy on every backend");
        }
        Set<TlsVersion> protocols = params.getProtocols() == null ? null : checkProtocols(params.getProtocols());
        List<String> suites = params.getCipherSuites() == null ? null : checkSuites(params.getCipherSuites());
        String[] alpnArray = params.getApplicationProtocols();
        List<String> alpn = alpnArray == null || alpnArray.length == 0 ? null : checkAlpn(alpnArray);
        HostName serverName = serverName(params.getServerNames());
        synchronized (handshakeLock) {
            if (tls == null) {
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
                requireSatisfied("protocols", Arrays.asList(names(protocols)), session.getProtocol());
            }
            if (suites != null) {
                requireSatisfied("cipher suites", suites, session.getCipherSuite());
            }
            if (alpn != null && !alpn.equals(alpn())) {
                String chosen = getApplicationProtocol();
                if (!alpn.contains(chosen)) {
                    throw new IllegalStateException("the handshake is over and agreed on ALPN '" + chosen + "', which "
                            + "the new list " + alpn + " does not hold; set ALPN before the handshake");
                }
            }
            if (serverName != null && !List.of(new SNIHostName(serverName.name())).equals(sentServerNames)) {
                throw new IllegalStateException("the handshake is over and sent the server name " + sentServerNames
                        + "; a different name would need a new handshake");
            }
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
    private HostName serverName(List<SNIServerName> names) {
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
            if (!plannedServerNames().isEmpty() && tls == null) {
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

    // ---- closing ----

    @Override
    public boolean isClosed() {
        SSLSocket t = tls;
        return closed || (t != null ? t.isClosed() : socket().isClosed());
    }

    @Override
    public boolean isInputShutdown() {
        SSLSocket t = tls;
        return t != null ? t.isInputShutdown() : super.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        SSLSocket t = tls;
        return t != null ? t.isOutputShutdown() : super.isOutputShutdown();
    }

    /** Sends close_notify and shuts the output, as the backend's TLS layer allows (see its capabilities). */
    @Override
    public void shutdownOutput() throws IOException {
        requireOpen();
        SSLSocket t = tls;
        if (t == null) {
            throw new SocketException("the handshake has not run; there is no TLS output to shut down");
        }
        t.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        requireOpen();
        SSLSocket t = tls;
        if (t == null) {
            throw new SocketException("the handshake has not run; there is no TLS input to shut down");
        }
        t.shutdownInput();
    }

    /**
     * Sends close_notify (best effort, without waiting for the peer's) and closes the TLS layer; the
     * plain socket underneath is closed too unless this socket was layered without autoClose.
     */
    @Override
    public void close() throws IOException {
        SSLSocket t;
        synchronized (this) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            closed = true;
            t = tls;
        }
        if (t != null) {
            t.close();
        } else if (autoClose) {
            socket().close();
        }
    }

    @Override
    public String toString() {
        SSLSocket t = tls;
        return "tlsupgrade " + upgrader.backend().name() + " socket to " + host + " [" + socket() + "]"
                + (t == null ? "" : ", " + session.getProtocol() + " " + session.getCipherSuite());
    }
}
