package dev.tlsupgrade;

import dev.tlsupgrade.internal.FixedSession;
import dev.tlsupgrade.internal.X509Session;
import dev.tlsupgrade.internal.policy.HostName;
import dev.tlsupgrade.internal.socket.LayeredSslSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.List;
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

    /** The port as the client named it, with the host in {@link #narrowing}; 0 until an unconnected socket connects. */
    private int port;
    /** What the client set; guarded by handshakeLock. */
    private final Narrowing narrowing;

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
        this.narrowing = new Narrowing(upgrader, host);
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
            narrowing.host(name);
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
        String host = narrowing.host();
        if (!socket().isConnected() || host == null) {
            throw new SocketException("the socket is not connected; connect it before the handshake");
        }
        try {
            TlsUpgrader.Upgraded done = upgrader.handshake(socket(), host, port, narrowing.settings(), autoClose);
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
            return FixedSession.none(narrowing.host(), port, 16709, 16384);
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

    /** What the finished handshake settled; null before it. Caller holds handshakeLock or reads once. */
    private Narrowing.Done done() {
        return tls == null ? null : new Narrowing.Done(session, getApplicationProtocol(), sentServerNames);
    }

    /** The versions this socket may offer: the config's, whatever a client narrowed. */
    @Override
    public String[] getSupportedProtocols() {
        return narrowing.supportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        synchronized (handshakeLock) {
            return Narrowing.names(narrowing.protocols());
        }
    }

    /** The suites this socket may offer: the config's pinned suites or the backend's defaults for it. */
    @Override
    public String[] getSupportedCipherSuites() {
        return narrowing.supportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        synchronized (handshakeLock) {
            return narrowing.cipherSuites().toArray(new String[0]);
        }
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        synchronized (handshakeLock) {
            narrowing.setProtocols(protocols, done());
        }
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        synchronized (handshakeLock) {
            narrowing.setCipherSuites(suites, done());
        }
    }

    @Override
    public SSLParameters getSSLParameters() {
        synchronized (handshakeLock) {
            return narrowing.parameters(done());
        }
    }

    /**
     * Applies what {@code params} sets: versions, suites, ALPN and the SNI server name narrow this
     * socket's handshake; null (and an empty ALPN list) mean unchanged. Host names are verified
     * whatever the endpoint identification algorithm says. Server-side settings and algorithm
     * constraints are refused: this socket cannot honour them.
     */
    @Override
    public void setSSLParameters(SSLParameters params) {
        synchronized (handshakeLock) {
            narrowing.setParameters(params, done());
        }
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
        return "tlsupgrade " + upgrader.backend().name() + " socket to " + narrowing.host() + " [" + socket() + "]"
                + (t == null ? "" : ", " + session.getProtocol() + " " + session.getCipherSuite());
    }
}
