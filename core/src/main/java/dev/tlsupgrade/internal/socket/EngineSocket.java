package dev.tlsupgrade.internal.socket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A blocking client {@link javax.net.ssl.SSLSocket} over an {@link SSLEngine} and the streams of the
 * connected socket underneath: for providers that offer only an engine (BoringSSL through Netty's
 * tcnative).
 *
 * <p>One class owns the three loops. The handshake loop follows the engine's handshake status and
 * never reads from the network unless the engine really needs more bytes: an unwrap can report
 * {@code BUFFER_UNDERFLOW} while the handshake is already {@code FINISHED} or wants to wrap or run
 * a task, and the peer's last flight can arrive together with its close_notify ({@code CLOSED} with
 * {@code FINISHED}). Delegated tasks (certificate checks) run inline. Reads unwrap under one lock,
 * writes wrap under another, so one thread may read while another writes. Several records are
 * wrapped into one socket write. Buffers are held only while they hold bytes: between calls they
 * are the calling thread's {@link SpareBuffers}, so an idle connection holds none.
 *
 * <p>Closing sends close_notify (best effort, without waiting for the peer's), closes the socket
 * underneath and runs the release hook once, which frees the engine's native memory. A peer that
 * closes the connection without close_notify after the handshake reads as end of stream.
 */
public final class EngineSocket extends LayeredSslSocket {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int RECORDS_PER_WRITE = 4;

    private final SSLEngine engine;
    private final Runnable release;
    private final boolean readsAfterCloseNotifyInTls13;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object readLock = new Object();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Input input = new Input();
    private final Output output = new Output();

    /** Received bytes not yet unwrapped, in [0, position); null while empty between calls. Guarded by readLock. */
    private ByteBuffer netIn;
    /** Plaintext not yet read by the application, in [0, position); null while empty between calls. Guarded by readLock. */
    private ByteBuffer appIn;
    /** Records to send; held only during a call that sends. Guarded by writeLock. */
    private ByteBuffer netOut;

    /** appIn's position, for {@link InputStream#available()}, which must not wait for a reader's lock. */
    private volatile int buffered;
    private volatile boolean handshakeDone;
    private volatile boolean inboundDone;
    private volatile boolean outboundDone;
    private volatile boolean closed;

    /**
     * @param socket the connected socket to run TLS over; closed with this one
     * @param engine a client engine, configured, handshake not begun
     * @param release frees what the engine holds; run once, when this socket closes
     */
    public EngineSocket(Socket socket, SSLEngine engine, Runnable release) throws IOException {
        this(socket, engine, release, true);
    }

    /**
     * @param readsAfterCloseNotifyInTls13 false for engines that stop reading once they have sent
     *     close_notify on TLS 1.3 (tcnative): {@link #shutdownOutput()} is then refused on TLS 1.3
     *     rather than silently losing the peer's reply
     */
    public EngineSocket(Socket socket, SSLEngine engine, Runnable release, boolean readsAfterCloseNotifyInTls13)
            throws IOException {
        super(socket);
        this.engine = engine;
        this.release = release;
        this.readsAfterCloseNotifyInTls13 = readsAfterCloseNotifyInTls13;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Takes the read buffers for a call under readLock, if this connection holds none. */
    private void holdInput() {
        if (netIn == null) {
            SSLSession session = engine.getSession();
            netIn = SpareBuffers.take(SpareBuffers.Kind.NET_IN, session.getPacketBufferSize());
            appIn = SpareBuffers.take(SpareBuffers.Kind.APP_IN, session.getApplicationBufferSize());
        }
    }

    /** At the end of a call under readLock: gives the read buffers back if they hold no bytes. */
    private void releaseInputIfEmpty() {
        if (netIn != null && netIn.position() == 0 && appIn.position() == 0) {
            SpareBuffers.give(SpareBuffers.Kind.NET_IN, netIn);
            SpareBuffers.give(SpareBuffers.Kind.APP_IN, appIn);
            netIn = null;
            appIn = null;
        }
    }

    /** Takes the send buffer for a call under writeLock. */
    private void holdOutput() {
        if (netOut == null) {
            netOut = SpareBuffers.take(SpareBuffers.Kind.NET_OUT, engine.getSession().getPacketBufferSize() * RECORDS_PER_WRITE);
        }
    }

    /** At the end of a call under writeLock: everything was sent (or failed), so the buffer goes back. */
    private void releaseOutput() {
        if (netOut != null) {
            SpareBuffers.give(SpareBuffers.Kind.NET_OUT, netOut);
            netOut = null;
        }
    }

    @Override
    public void startHandshake() throws IOException {
        if (handshakeDone) {
            return;
        }
        writeLock.lock();
        try {
            synchronized (readLock) {
                if (handshakeDone) {
                    return;
                }
                if (closed) {
                    throw new SocketException("socket is closed");
                }
                holdInput();
                holdOutput();
                try {
                    handshake();
                } catch (SSLException e) {
                    sendPendingAlert();
                    throw e;
                } finally {
                    releaseInputIfEmpty();
                    releaseOutput();
                }
                handshakeDone = true;
            }
        } finally {
            writeLock.unlock();
        }
        handshakeCompleted(engine.getSession());
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (true) {
            switch (status) {
                case NEED_WRAP:
                    status = wrapHandshake();
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    status = unwrapHandshake();
                    break;
                case NEED_TASK:
                    runTasks();
                    status = engine.getHandshakeStatus();
                    break;
                case FINISHED:
                case NOT_HANDSHAKING:
                    return;
                default:
                    throw new SSLHandshakeException("unexpected handshake status " + status);
            }
        }
    }

    private HandshakeStatus wrapHandshake() throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(EMPTY, netOut);
        switch (r.getStatus()) {
            case OK:
                send();
                return r.getHandshakeStatus();
            case BUFFER_OVERFLOW:
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                return engine.getHandshakeStatus();
            case CLOSED:
                send();
                throw new SSLHandshakeException("the TLS engine closed during the handshake");
            default:
                throw new SSLHandshakeException("unexpected wrap status " + r.getStatus());
        }
    }

    private HandshakeStatus unwrapHandshake() throws IOException {
        SSLEngineResult r = unwrap();
        HandshakeStatus status = r.getHandshakeStatus();
        switch (r.getStatus()) {
            case OK:
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && isUnwrap(status)) {
                    receive("during the handshake");
                }
                return status;
            case BUFFER_OVERFLOW:
                appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                return engine.getHandshakeStatus();
            case BUFFER_UNDERFLOW:
                // The engine may have consumed a whole message and now want to wrap, run a task or be done:
                // read only when it really waits for bytes, or the handshake would hang.
                if (isUnwrap(status)) {
                    receive("during the handshake");
                }
                return status;
            case CLOSED:
                inboundDone = true;
                if (status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING) {
                    // The peer's last flight and its close_notify came in one read: the handshake is complete.
                    return HandshakeStatus.FINISHED;
                }
                throw new SSLHandshakeException("the peer closed the TLS connection (close_notify) during the handshake");
            default:
                throw new SSLHandshakeException("unexpected unwrap status " + r.getStatus());
        }
    }

    private static boolean isUnwrap(HandshakeStatus s) {
        return s == HandshakeStatus.NEED_UNWRAP || s == HandshakeStatus.NEED_UNWRAP_AGAIN;
    }

    /** Unwraps what netIn holds into appIn. Caller holds readLock. */
    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
    }

    /** Reads more bytes from the network into netIn; end of stream is an EOFException. Caller holds readLock. */
    private void receive(String when) throws IOException {
        if (!readMore()) {
            throw new EOFException("the peer closed the connection " + when);
        }
    }

    private boolean readMore() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
        }
        int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
        if (n < 0) {
            return false;
        }
        netIn.position(netIn.position() + n);
        return true;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Writes netOut's [0, position) to the network. Caller holds writeLock. */
    private void send() throws IOException {
        if (netOut.position() > 0) {
            out.write(netOut.array(), netOut.arrayOffset(), netOut.position());
            out.flush();
            netOut.clear();
        }
    }

    /** After a failed handshake the engine may hold an alert for the peer: send it, best effort. */
    private void sendPendingAlert() {
        try {
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            send();
        } catch (IOException | RuntimeException ignored) {
            // the handshake failure is what the caller gets
        }
    }

    private static ByteBuffer enlarge(ByteBuffer buffer, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + atLeast));
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }

    private void ensureHandshake() throws IOException {
        if (!handshakeDone) {
            startHandshake();
        }
    }

    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ensureHandshake();
        synchronized (readLock) {
            holdInput();
            try {
                return readLocked(b, off, len);
            } finally {
                releaseInputIfEmpty();
            }
        }
    }

    /** The read loop. Caller holds readLock and the read buffers. */
    private int readLocked(byte[] b, int off, int len) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(len, appIn.remaining());
                appIn.get(b, off, n);
                appIn.compact();
                buffered = appIn.position();
                return n;
            }
            if (inboundDone || closed) {
                return -1;
            }
            if (netIn.position() > 0) {
                SSLEngineResult r = unwrap();
                switch (r.getStatus()) {
                    case OK:
                        afterHandshake(r.getHandshakeStatus());
                        if (r.bytesConsumed() > 0 || r.bytesProduced() > 0) {
                            continue;
                        }
                        break;
                    case BUFFER_OVERFLOW:
                        appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                        continue;
                    case BUFFER_UNDERFLOW:
                        break;
                    case CLOSED:
                        inboundDone = true;
                        continue;
                    default:
                        throw new SSLException("unexpected unwrap status " + r.getStatus());
                }
            }
            if (!readMore()) {
                inboundDone = true;
            }
        }
    }

    /** Post-handshake messages (TLS 1.3 tickets, key updates) may want a task run or a record sent. */
    private void afterHandshake(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NEED_TASK) {
            runTasks();
        } else if (status == HandshakeStatus.NEED_WRAP) {
            writeLock.lock();
            try {
                holdOutput();
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                send();
            } finally {
                releaseOutput();
                writeLock.unlock();
            }
        }
    }

    void write(byte[] b, int off, int len) throws IOException {
        ensureHandshake();
        writeLock.lock();
        try {
            if (closed || outboundDone) {
                throw new SocketException("the TLS connection is closed for writing");
            }
            holdOutput();
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            int packet = engine.getSession().getPacketBufferSize();
            while (src.hasRemaining()) {
                netOut.clear();
                do {
                    SSLEngineResult r = engine.wrap(src, netOut);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        if (netOut.position() == 0) {
                            netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                        }
                        break;
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SocketException("the TLS connection is closed for writing");
                    }
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                } while (src.hasRemaining() && netOut.remaining() >= packet);
                send();
            }
        } finally {
            releaseOutput();
            writeLock.unlock();
        }
    }

    /** The engine underneath, for backend-specific queries after the handshake. */
    public SSLEngine engine() {
        return engine;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (isClosed()) {
            throw new SocketException("socket is closed");
        }
        return output;
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return handshakeDone ? null : engine.getHandshakeSession();
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        engine.setSSLParameters(params);
    }

    @Override
    public boolean isClosed() {
        return closed || super.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return inboundDone || super.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return outboundDone || super.isOutputShutdown();
    }

    /** Sends close_notify and shuts the socket's output; reading goes on (half close). */
    @Override
    public void shutdownOutput() throws IOException {
        if (!readsAfterCloseNotifyInTls13 && "TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw new UnsupportedOperationException("this TLS engine stops reading once it has sent close_notify on "
                    + "TLS 1.3, so a half close would lose the peer's reply; finish reading, then close()");
        }
        writeLock.lock();
        try {
            sendCloseNotify();
        } finally {
            writeLock.unlock();
        }
        socket().shutdownOutput();
    }

    /** Stops reading: further reads return end of stream. */
    @Override
    public void shutdownInput() throws IOException {
        inboundDone = true;
        socket().shutdownInput();
    }

    private void sendCloseNotify() throws IOException {
        if (outboundDone) {
            return;
        }
        outboundDone = true;
        engine.closeOutbound();
        holdOutput();
        try {
            engine.wrap(EMPTY, netOut);
            send();
        } finally {
            releaseOutput();
        }
    }

    /**
     * Sends close_notify if a writer is not in the middle of a record (waiting briefly), then closes
     * the socket underneath and frees the engine.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (handshakeDone && writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
                try {
                    sendCloseNotify();
                } catch (IOException | RuntimeException ignored) {
                    // the peer may be gone already; closing goes on
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                socket().close();
            } finally {
                if (released.compareAndSet(false, true)) {
                    release.run();
                }
            }
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            return EngineSocket.this.read(b, off, len);
        }

        @Override
        public int available() {
            return buffered;
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len > 0) {
                EngineSocket.this.write(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }
}
