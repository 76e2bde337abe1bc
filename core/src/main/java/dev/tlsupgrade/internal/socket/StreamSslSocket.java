package dev.tlsupgrade.internal.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A client {@link javax.net.ssl.SSLSocket} over a TLS implementation that works on streams and has
 * already finished its handshake (Bouncy Castle's low-level protocol): the TLS streams carry the
 * application data, the session is fixed, and closing closes the TLS layer (close_notify) and then
 * the socket underneath.
 */
public final class StreamSslSocket extends LayeredSslSocket {
    private final InputStream tlsIn;
    private final OutputStream tlsOut;
    private final SSLSession session;
    private final String applicationProtocol;
    private final Closeable closeTls;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param socket the connected socket the TLS streams run over; closed with this one
     * @param closeTls sends close_notify and ends the TLS layer
     */
    public StreamSslSocket(Socket socket, InputStream tlsIn, OutputStream tlsOut, SSLSession session,
            String applicationProtocol, Closeable closeTls) {
        super(socket);
        this.tlsIn = tlsIn;
        this.tlsOut = tlsOut;
        this.session = session;
        this.applicationProtocol = applicationProtocol == null ? "" : applicationProtocol;
        this.closeTls = closeTls;
        this.protocols = new String[] {session.getProtocol()};
        this.cipherSuites = new String[] {session.getCipherSuite()};
    }

    @Override
    public void startHandshake() throws IOException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
        return tlsIn;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
        return tlsOut;
    }

    @Override
    public SSLSession getSession() {
        return session;
    }

    @Override
    public SSLSession getHandshakeSession() {
        return null;
    }

    @Override
    public String getApplicationProtocol() {
        return applicationProtocol;
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return null;
    }

    /** Only what was negotiated: the handshake is over, nothing else can be enabled. */
    @Override
    public String[] getSupportedCipherSuites() {
        return cipherSuites.clone();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return cipherSuites.clone();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        throw new IllegalArgumentException("the handshake is over; cipher suites are set in TlsClientConfig");
    }

    @Override
    public String[] getSupportedProtocols() {
        return protocols.clone();
    }

    @Override
    public String[] getEnabledProtocols() {
        return protocols.clone();
    }

    @Override
    public void setEnabledProtocols(String[] p) {
        throw new IllegalArgumentException("the handshake is over; protocols are set in TlsClientConfig");
    }

    @Override
    public SSLParameters getSSLParameters() {
        return new SSLParameters(cipherSuites.clone(), protocols.clone());
    }

    /** Half close is not available on this path: TLS 1.0-1.2 have no half close either. */
    @Override
    public void shutdownOutput() throws IOException {
        throw new UnsupportedOperationException("half close is not available on this TLS connection; use close()");
    }

    @Override
    public void shutdownInput() throws IOException {
        throw new UnsupportedOperationException("half close is not available on this TLS connection; use close()");
    }

    @Override
    public boolean isClosed() {
        return closed.get() || super.isClosed();
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeTls.close();
        } catch (IOException | RuntimeException ignored) {
            // the peer may be gone; the socket is closed below either way
        } finally {
            socket().close();
        }
    }
}
