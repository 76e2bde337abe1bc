package dev.tlsupgrade.bctls;

import dev.tlsupgrade.internal.FixedSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.tls.RecordPreview;
import org.bouncycastle.tls.TlsClientProtocol;

/**
 * An {@link SSLEngine} over Bouncy Castle's low-level protocol in its non-blocking mode
 * ({@code offerInput}/{@code readOutput}), for core's engine to drive. It takes one whole record per
 * {@code unwrap} (a partial one is {@code BUFFER_UNDERFLOW}), answers {@code BUFFER_OVERFLOW} before
 * it consumes anything, and runs no delegated tasks: the certificate check runs inside
 * {@code unwrap}, through core's verifier as on the socket. Settings come from the connector; core's
 * engine never passes a client's calls through, so the setters here refuse.
 *
 * <p>Closing the outbound side sends close_notify and ends the connection both ways (Bouncy Castle
 * has no half close). Not thread-safe on its own: core's engine serialises nothing, so every public
 * method here is synchronized.
 */
final class BcEngine extends SSLEngine {
    /** The largest record Bouncy Castle writes, with the 1/n-1 split of TLS 1.0 CBC and padding. */
    static final int PACKET_SIZE = 16384 + 2048;
    static final int APPLICATION_SIZE = 16384;
    private static final int HEADER = 5;

    private final TlsClientProtocol protocol = new TlsClientProtocol();
    private final UpgradeClient client;
    private final Supplier<SSLSession> sessionOfClient;

    private boolean begun;
    private boolean finishedReported;
    private boolean failed;
    private boolean inboundDone;
    private boolean outboundClosed;
    private SSLSession session;

    /**
     * @param sessionOfClient the finished handshake's session, made from the client's negotiated
     *     parameters (the connector builds it as for a socket)
     */
    BcEngine(UpgradeClient client, String host, int port, Supplier<SSLSession> sessionOfClient) {
        super(host, port);
        this.client = client;
        this.sessionOfClient = sessionOfClient;
    }

    @Override
    public synchronized void beginHandshake() throws SSLException {
        if (begun) {
            return;
        }
        begun = true;
        try {
            protocol.connect(client); // non-blocking: queues the ClientHello
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private SSLException failure(IOException e) {
        failed = true;
        inboundDone = true;
        SSLException s = connected() ? new SSLException(String.valueOf(e.getMessage())) : new SSLHandshakeException(String.valueOf(e.getMessage()));
        s.initCause(e);
        return s;
    }

    private boolean connected() {
        return protocol.isConnected() || session != null;
    }

    @Override
    public synchronized SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        beginHandshake();
        int pending = protocol.getAvailableOutputBytes();
        if (pending > 0) {
            if (dst.remaining() < Math.min(pending, PACKET_SIZE)) {
                return result(Status.BUFFER_OVERFLOW, 0, 0);
            }
            int produced = protocol.readOutput(dst, Math.min(pending, dst.remaining()));
            return result(outboundDone() ? Status.CLOSED : Status.OK, 0, produced);
        }
        if (outboundClosed || failed || protocol.isClosed()) {
            return result(Status.CLOSED, 0, 0);
        }
        if (!protocol.isConnected()) {
            return result(Status.OK, 0, 0);
        }
        int available = 0;
        for (int i = offset; i < offset + length; i++) {
            available += srcs[i].remaining();
        }
        if (available == 0) {
            return result(Status.OK, 0, 0);
        }
        int chunk = Math.min(available, protocol.getApplicationDataLimit());
        try {
            RecordPreview preview = protocol.previewOutputRecord(chunk);
            if (dst.remaining() < preview.getRecordSize()) {
                return result(Status.BUFFER_OVERFLOW, 0, 0);
            }
            byte[] plain = new byte[chunk];
            int filled = 0;
            for (int i = offset; i < offset + length && filled < chunk; i++) {
                int n = Math.min(srcs[i].remaining(), chunk - filled);
                srcs[i].get(plain, filled, n);
                filled += n;
            }
            protocol.writeApplicationData(plain, 0, chunk);
        } catch (IOException e) {
            throw failure(e);
        }
        int produced = protocol.readOutput(dst, protocol.getAvailableOutputBytes());
        return result(Status.OK, chunk, produced);
    }

    @Override
    public synchronized SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        beginHandshake();
        if (protocol.getAvailableInputBytes() > 0) {
            int delivered = deliver(dsts, offset, length);
            return result(delivered == 0 ? Status.BUFFER_OVERFLOW : Status.OK, 0, delivered);
        }
        if (inboundDone || failed || protocol.isClosed()) {
            inboundDone = true;
            return result(Status.CLOSED, 0, 0);
        }
        if (src.remaining() < HEADER) {
            return result(Status.BUFFER_UNDERFLOW, 0, 0);
        }
        byte[] header = new byte[HEADER];
        src.duplicate().get(header);
        byte[] record;
        try {
            RecordPreview preview = protocol.previewInputRecord(header);
            if (src.remaining() < preview.getRecordSize()) {
                return result(Status.BUFFER_UNDERFLOW, 0, 0);
            }
            if (protocol.isConnected() && room(dsts, offset, length) < preview.getContentLimit()) {
                return result(Status.BUFFER_OVERFLOW, 0, 0);
            }
            record = new byte[preview.getRecordSize()];
            src.get(record);
            protocol.offerInput(record);
        } catch (IOException e) {
            throw failure(e);
        }
        int delivered = deliver(dsts, offset, length);
        if (protocol.isClosed()) {
            inboundDone = true; // the server's close_notify; Bouncy Castle has queued ours
            return result(Status.CLOSED, record.length, delivered);
        }
        return result(Status.OK, record.length, delivered);
    }

    private int deliver(ByteBuffer[] dsts, int offset, int length) {
        int delivered = 0;
        for (int i = offset; i < offset + length && protocol.getAvailableInputBytes() > 0; i++) {
            delivered += protocol.readInput(dsts[i], Math.min(dsts[i].remaining(), protocol.getAvailableInputBytes()));
        }
        return delivered;
    }

    private static int room(ByteBuffer[] dsts, int offset, int length) {
        int room = 0;
        for (int i = offset; i < offset + length; i++) {
            room += dsts[i].remaining();
        }
        return room;
    }

    /** A result with the handshake status as it is now; FINISHED once, when the handshake's last bytes went. */
    private SSLEngineResult result(Status status, int consumed, int produced) {
        HandshakeStatus hs = getHandshakeStatus();
        if (!finishedReported && protocol.isConnected() && hs == HandshakeStatus.NOT_HANDSHAKING) {
            finishedReported = true;
            session = sessionOfClient.get();
            hs = HandshakeStatus.FINISHED;
        }
        return new SSLEngineResult(status, hs, consumed, produced);
    }

    @Override
    public Runnable getDelegatedTask() {
        return null;
    }

    @Override
    public synchronized HandshakeStatus getHandshakeStatus() {
        if (!begun) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        if (protocol.getAvailableOutputBytes() > 0) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (!protocol.isConnected() && !protocol.isClosed() && !failed && session == null) {
            return HandshakeStatus.NEED_UNWRAP;
        }
        return HandshakeStatus.NOT_HANDSHAKING;
    }

    /** Sends close_notify at the next wrap; Bouncy Castle then reads nothing more. */
    @Override
    public synchronized void closeOutbound() {
        outboundClosed = true;
        if (begun && !protocol.isClosed()) {
            try {
                protocol.close();
            } catch (IOException e) {
                failed = true;
            }
        }
    }

    private boolean outboundDone() {
        return (outboundClosed || failed || protocol.isClosed()) && protocol.getAvailableOutputBytes() == 0;
    }

    @Override
    public synchronized boolean isOutboundDone() {
        return !begun ? outboundClosed : outboundDone();
    }

    @Override
    public synchronized void closeInbound() throws SSLException {
        boolean truncated = begun && !inboundDone && !failed && !outboundClosed;
        inboundDone = true;
        if (truncated) {
            throw new SSLException("the inbound side was closed before the server's close_notify (possible truncation)");
        }
    }

    @Override
    public synchronized boolean isInboundDone() {
        return inboundDone || (begun && protocol.isClosed());
    }

    @Override
    public synchronized SSLSession getSession() {
        if (session != null) {
            return session;
        }
        return FixedSession.none(getPeerHost(), getPeerPort(), PACKET_SIZE, APPLICATION_SIZE);
    }

    @Override
    public SSLSession getHandshakeSession() {
        return null;
    }

    @Override
    public synchronized String getApplicationProtocol() {
        if (session == null) {
            return null;
        }
        var alpn = client.negotiated().getApplicationProtocol();
        return alpn == null ? "" : alpn.getUtf8Decoding();
    }

    // ---- settings belong to the connector: core's engine answers clients' questions itself ----

    private static UnsupportedOperationException configuredByCore() {
        return new UnsupportedOperationException("Bouncy Castle's engine is configured by tlsupgrade's connector");
    }

    @Override
    public String[] getSupportedCipherSuites() {
        throw configuredByCore();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        throw configuredByCore();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        throw configuredByCore();
    }

    @Override
    public String[] getSupportedProtocols() {
        throw configuredByCore();
    }

    @Override
    public String[] getEnabledProtocols() {
        throw configuredByCore();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        throw configuredByCore();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        if (!mode) {
            throw configuredByCore();
        }
    }

    @Override
    public boolean getUseClientMode() {
        return true;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        throw configuredByCore();
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        throw configuredByCore();
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        throw configuredByCore();
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }
}
