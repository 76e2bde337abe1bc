package dev.tlsupgrade.internal.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The socket half of an {@link SSLSocket} that core implements itself over a TLS implementation
 * that is not a socket (an {@code SSLEngine}, a stream protocol): every socket call goes to the
 * socket underneath, which this one owns and closes. Subclasses supply the TLS half. Always a
 * client: {@code setUseClientMode(true)} is accepted and changes nothing, {@code false} is refused.
 */
public abstract class LayeredSslSocket extends SSLSocket {
    private final Socket socket;
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();

    protected LayeredSslSocket(Socket socket) {
        this.socket = socket;
    }

    /** The connected socket underneath. */
    protected final Socket socket() {
        return socket;
    }

    /** Tells the listeners the handshake completed; subclasses call it once. */
    protected final void handshakeCompleted(SSLSession session) {
        HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, session);
        for (HandshakeCompletedListener l : listeners) {
            l.handshakeCompleted(event);
        }
    }

    @Override
    public final void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is null");
        }
        listeners.add(listener);
    }

    @Override
    public final void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("listener was not registered");
        }
    }

    @Override
    public final void setUseClientMode(boolean mode) {
        if (!mode) {
            throw new IllegalArgumentException("this socket is a TLS client; it cannot become a server");
        }
    }

    @Override
    public final boolean getUseClientMode() {
        return true;
    }

    @Override
    public final void setNeedClientAuth(boolean need) {
        throw new IllegalArgumentException("client authentication is a server setting; this socket is a client");
    }

    @Override
    public final boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public final void setWantClientAuth(boolean want) {
        throw new IllegalArgumentException("client authentication is a server setting; this socket is a client");
    }

    @Override
    public final boolean getWantClientAuth() {
        return false;
    }

    @Override
    public final void setEnableSessionCreation(boolean flag) {
        if (!flag) {
            throw new IllegalArgumentException("the session is created by the upgrade; it cannot be turned off");
        }
    }

    @Override
    public final boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public final void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    /** Connects the socket underneath (which refuses when it is connected already). */
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        socket.connect(endpoint, timeout);
    }

    @Override
    public final void bind(SocketAddress bindpoint) throws IOException {
        socket.bind(bindpoint);
    }

    @Override
    public final InetAddress getInetAddress() {
        return socket.getInetAddress();
    }

    @Override
    public final InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public final int getPort() {
        return socket.getPort();
    }

    @Override
    public final int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public final SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public final SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public final SocketChannel getChannel() {
        return null;
    }

    @Override
    public final void setTcpNoDelay(boolean on) throws SocketException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public final boolean getTcpNoDelay() throws SocketException {
        return socket.getTcpNoDelay();
    }

    @Override
    public final void setSoLinger(boolean on, int linger) throws SocketException {
        socket.setSoLinger(on, linger);
    }

    @Override
    public final int getSoLinger() throws SocketException {
        return socket.getSoLinger();
    }

    @Override
    public final void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data cannot be sent over TLS");
    }

    @Override
    public final void setSoTimeout(int timeout) throws SocketException {
        socket.setSoTimeout(timeout);
    }

    @Override
    public final int getSoTimeout() throws SocketException {
        return socket.getSoTimeout();
    }

    @Override
    public final void setSendBufferSize(int size) throws SocketException {
        socket.setSendBufferSize(size);
    }

    @Override
    public final int getSendBufferSize() throws SocketException {
        return socket.getSendBufferSize();
    }

    @Override
    public final void setReceiveBufferSize(int size) throws SocketException {
        socket.setReceiveBufferSize(size);
    }

    @Override
    public final int getReceiveBufferSize() throws SocketException {
        return socket.getReceiveBufferSize();
    }

    @Override
    public final void setKeepAlive(boolean on) throws SocketException {
        socket.setKeepAlive(on);
    }

    @Override
    public final boolean getKeepAlive() throws SocketException {
        return socket.getKeepAlive();
    }

    @Override
    public final void setTrafficClass(int tc) throws SocketException {
        socket.setTrafficClass(tc);
    }

    @Override
    public final int getTrafficClass() throws SocketException {
        return socket.getTrafficClass();
    }

    @Override
    public final void setReuseAddress(boolean on) throws SocketException {
        socket.setReuseAddress(on);
    }

    @Override
    public final boolean getReuseAddress() throws SocketException {
        return socket.getReuseAddress();
    }

    @Override
    public final boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public final boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + socket + "]";
    }
}
