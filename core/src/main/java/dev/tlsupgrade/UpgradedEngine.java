package dev.tlsupgrade;

import dev.tlsupgrade.internal.FixedSession;
import dev.tlsupgrade.internal.X509Session;
import dev.tlsupgrade.internal.wire.WireFacts;
import dev.tlsupgrade.internal.wire.WireRecorder;
import dev.tlsupgrade.spi.BackendConnector;
import java.io.EOFException;
import java.lang.ref.Cleaner;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The one {@link SSLEngine} every backend gives asynchronous clients: core's engine over the
 * provider's, with the socket's rules. What a client sets before the first {@code wrap} narrows the
 * upgrader's config and never widens it; the provider's engine is made at the first
 * {@code wrap}, {@code unwrap} or {@code beginHandshake()}, with the SNI and host name rules, suites
 * and versions core decides. The bytes that cross {@code wrap} and {@code unwrap} during the
 * handshake are kept, so that a failure is explained as on the socket: the {@link SSLException} a
 * client sees carries the explanation as its message and the {@link TlsUpgradeException} as its
 * cause. There is never a renegotiation.
 *
 * <p>Nobody drives an idle engine, so the handshake timeout is enforced at the first {@code wrap} or
 * {@code unwrap} past it ({@link FailureKind#TIMEOUT}). The provider's engine is released (its native
 * memory freed) once both sides are closed, after a failure's alert went out, or when a client
 * abandons the engine, by a cleaner.
 */
final class UpgradedEngine extends SSLEngine {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int PACKET_SIZE = 16709;
    private static final int APPLICATION_SIZE = 16384;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ByteBuffer[] NO_DATA = {EMPTY};

    private final TlsUpgrader upgrader;
    private final Object lock = new Object();
    /** What the client set; guarded by lock. */
    private final Narrowing narrowing;

    /** The provider's engine and what core needs about it; null until the handshake begins. */
    private volatile Started started;
    private volatile boolean handshakeDone;
    private volatile TlsHandshakeInfo info;
    private volatile SSLSession session;
    private volatile List<SNIServerName> sentServerNames = List.of();
    /** The explained failure; every later call reports the engine closed. */
    private volatile SSLException failure;
    /**
     * A failure's alert that the provider wrapped before it reported the failure; handed out by the
     * next wrap, after the failure was thrown, as the JDK's engine does. Written under lock.
     */
    private volatile byte[] alertAfterFailure;
    /** closeInbound/closeOutbound before the handshake began: there is no provider engine to ask. */
    private volatile boolean inboundClosedEarly;
    private volatile boolean outboundClosedEarly;

    /** One connection's provider engine, its recorder and deadline, and the release run once. */
    private record Started(SSLEngine engine, BackendConnector connector, TlsClientConfig config, String host,
            WireRecorder recorder, long startNanos, long deadlineNanos, Release cleaning, Cleaner.Cleanable cleanable) {
        void release() {
            cleanable.clean();
        }

        boolean released() {
            return cleaning.done.get();
        }
    }

    /** The cleaning action: refers to the provider's engine and its hook, never to core's engine. */
    private static final class Release implements Runnable {
        private final Runnable hook;
        private final AtomicBoolean done = new AtomicBoolean();

        Release(Runnable hook) {
            this.hook = hook;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                hook.run();
            }
        }
    }

    UpgradedEngine(TlsUpgrader upgrader, String host, int port) {
        super(host, port);
        this.upgrader = upgrader;
        this.narrowing = new Narrowing(upgrader, host);
    }

    /** The handshake facts, once the handshake is done. */
    TlsHandshakeInfo info() {
        return info;
    }

    // ---- the handshake ----

    /** Makes and begins the provider's engine unless it exists; returns it. */
    private Started start() throws SSLException {
        Started s = started;
        if (s != null) {
            return s;
        }
        synchronized (lock) {
            if (started != null) {
                return started;
            }
            if (inboundClosedEarly || outboundClosedEarly) {
                throw new SSLException("the engine was closed before its handshake began");
            }
            SocketSettings settings = narrowing.settings();
            String host = getPeerHost();
            if (host == null) {
                host = settings.serverName() != null ? settings.serverName().name()
                        : upgrader.config().serverHostName() != null ? upgrader.config().serverHostName().name() : null;
            }
            if (host == null) {
                throw new IllegalStateException("this engine has no server host name to check the certificate against: "
                        + "create it with createSSLEngine(host, port), or set SSLParameters.setServerNames, or the "
                        + "config's serverName(...)");
            }
            TlsUpgrader.EngineStart begun = upgrader.startEngine(host, getPeerPort(), settings);
            Release release = new Release(begun.engine().release());
            long now = System.nanoTime();
            Started made = new Started(begun.engine().engine(), begun.connector(), begun.config(), host, new WireRecorder(),
                    now, now + upgrader.config().handshakeTimeout().toNanos(), release, CLEANER.register(this, release));
            sentServerNames = begun.sni() == null ? List.of() : List.of(new SNIHostName(begun.sni()));
            started = made;
            try {
                made.engine().beginHandshake();
            } catch (SSLException | RuntimeException e) {
                throw fail(made, e, false);
            }
            return made;
        }
    }

    /**
     * The explained failure for {@code cause}, kept for later calls; the provider's engine is closed
     * so that its alert can still be wrapped, and released once nothing is left to send.
     */
    private SSLException fail(Started s, Throwable cause, boolean timedOut) {
        synchronized (lock) {
            if (failure != null) {
                return failure;
            }
            TlsUpgradeException explained = new FailureExplainer(upgrader.backend().name(), s.host(), null, s.config())
                    .explain(cause, WireFacts.of(s.recorder().snapshot()), timedOut);
            s.recorder().stop();
            upgrader.failed(explained);
            failure = asSslException(explained);
            s.engine().closeOutbound();
            releaseIfDone(s);
            return failure;
        }
    }

    private static SSLException asSslException(TlsUpgradeException explained) {
        SSLHandshakeException e = new SSLHandshakeException(explained.getMessage());
        e.initCause(explained);
        return e;
    }

    /** Checks what the server chose and records the facts, once, when the provider reports FINISHED. */
    private void finish(Started s) throws SSLException {
        synchronized (lock) {
            if (handshakeDone || failure != null) {
                return;
            }
            WireFacts wire = WireFacts.of(s.recorder().snapshot());
            s.recorder().stop();
            TlsUpgradeException refused = upgrader.refusedAfterHandshake(s.host(), null, wire, s.config(),
                    () -> TlsUpgrader.peerChain(s.engine().getSession()), () -> s.connector().stapledOcspResponse(s.engine()),
                    s.deadlineNanos());
            if (refused != null) {
                failure = asSslException(refused);
                s.engine().closeOutbound();
                throw failure;
            }
            SSLSession provider = s.engine().getSession();
            TlsHandshakeInfo facts;
            try {
                facts = upgrader.describe(provider, s.engine()::getApplicationProtocol,
                        () -> s.connector().stapledOcspResponse(s.engine()), s.host(), null, wire,
                        Duration.ofNanos(System.nanoTime() - s.startNanos()), s.config());
            } catch (RuntimeException e) {
                throw fail(s, e, false);
            }
            session = new X509Session(provider, sentServerNames);
            info = facts;
            handshakeDone = true;
            upgrader.succeeded(facts, wire);
        }
    }

    private void checkDeadline(Started s) throws SSLException {
        if (!handshakeDone && pastDeadline(s)) {
            throw timedOut(s);
        }
    }

    private static boolean pastDeadline(Started s) {
        return System.nanoTime() - s.deadlineNanos() > 0;
    }

    private SSLException timedOut(Started s) {
        return fail(s, new SocketTimeoutException("the handshake did not finish within "
                + upgrader.config().handshakeTimeout().toMillis() + " ms"), true);
    }

    private void releaseIfDone(Started s) {
        SSLEngine e = s.engine();
        if (failure != null ? e.isOutboundDone() : e.isInboundDone() && e.isOutboundDone()) {
            s.release();
        }
    }

    private SSLEngineResult closedResult() {
        Started s = started;
        HandshakeStatus hs = s != null && !s.released() && !s.engine().isOutboundDone() ? HandshakeStatus.NEED_WRAP
                : HandshakeStatus.NOT_HANDSHAKING;
        return new SSLEngineResult(Status.CLOSED, hs, 0, 0);
    }

    @Override
    public void beginHandshake() throws SSLException {
        if (failure != null) {
            throw failure;
        }
        start(); // after the handshake: nothing, as on the socket; never a renegotiation
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        if (length == 0) {
            // java.net.http wraps an empty array during the handshake; tcnative refuses one (IndexOutOfBounds)
            return wrap(NO_DATA, 0, 1, dst);
        }
        Started s = start();
        if (failure != null) {
            return wrapAfterFailure(s, dst);
        }
        if (s.released()) {
            return closedResult();
        }
        if (handshakeDone) {
            SSLEngineResult r = s.engine().wrap(srcs, offset, length, dst);
            if (r.getStatus() == Status.CLOSED) {
                releaseIfDone(s);
            }
            return r;
        }
        checkDeadline(s);
        int before = dst.position();
        SSLEngineResult r;
        try {
            r = s.engine().wrap(srcs, offset, length, dst);
        } catch (SSLException | RuntimeException e) {
            throw fail(s, e, false);
        }
        record(s.recorder(), dst, before, dst.position(), true);
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finish(s);
        } else if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && r.bytesProduced() > 0
                && s.engine().getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
            r = wrapAgain(s, r, dst, before);
        }
        return r;
    }

    /**
     * tcnative wraps the alert of a failed check (a delegated certificate check) and says NEED_WRAP,
     * yet its engine then says NEED_UNWRAP, and only its next call throws the failure. A client
     * that follows the engine's status waits for the server's bytes, which it may already have
     * offered, and the connection hangs until the client's own timer (java.net.http: "HTTP connect
     * timed out"). Core's engine makes that next call now: the failure is thrown at once and the
     * alert handed out by the next wrap, as the JDK's engine does.
     */
    private SSLEngineResult wrapAgain(Started s, SSLEngineResult first, ByteBuffer dst, int before) throws SSLException {
        int end = dst.position();
        SSLEngineResult more;
        try {
            more = s.engine().wrap(NO_DATA, 0, 1, dst);
        } catch (SSLException | RuntimeException e) {
            byte[] alert = new byte[end - before];
            dst.position(before);
            dst.duplicate().get(alert);
            synchronized (lock) {
                if (failure == null) {
                    alertAfterFailure = alert;
                }
            }
            throw fail(s, e, false);
        }
        if (more.getStatus() != Status.OK) {
            return first;
        }
        record(s.recorder(), dst, end, dst.position(), true);
        if (more.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finish(s);
        }
        return new SSLEngineResult(Status.OK, more.getHandshakeStatus(), first.bytesConsumed() + more.bytesConsumed(),
                first.bytesProduced() + more.bytesProduced());
    }

    /** Lets a failure's alert (or close_notify) out, then releases the provider's engine. */
    private SSLEngineResult wrapAfterFailure(Started s, ByteBuffer dst) {
        synchronized (lock) {
            byte[] alert = alertAfterFailure;
            if (alert != null) {
                if (dst.remaining() < alert.length) {
                    return new SSLEngineResult(Status.BUFFER_OVERFLOW, HandshakeStatus.NEED_WRAP, 0, 0);
                }
                dst.put(alert);
                alertAfterFailure = null;
                return new SSLEngineResult(Status.CLOSED, HandshakeStatus.NOT_HANDSHAKING, 0, alert.length);
            }
        }
        if (s.released()) {
            return closedResult();
        }
        try {
            SSLEngineResult r = s.engine().wrap(NO_DATA, 0, 1, dst);
            releaseIfDone(s);
            return new SSLEngineResult(Status.CLOSED, r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                    ? HandshakeStatus.NEED_WRAP : HandshakeStatus.NOT_HANDSHAKING, 0, r.bytesProduced());
        } catch (SSLException | RuntimeException alreadyReported) {
            s.release();
            return closedResult();
        }
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        Started s = start();
        if (failure != null || s.released()) {
            return closedResult();
        }
        if (handshakeDone) {
            SSLEngineResult r = normalized(s.engine().unwrap(src, dsts, offset, length));
            if (r.getStatus() == Status.CLOSED) {
                releaseIfDone(s);
            }
            return r;
        }
        checkDeadline(s);
        int before = src.position();
        // As on the socket: what no intact server sends fails now, rather than waiting for bytes that cannot come.
        String impossible = s.recorder().impossibleWith(src);
        if (impossible != null) {
            record(s.recorder(), src, before, src.limit(), false);
            throw fail(s, new javax.net.ssl.SSLProtocolException(impossible), false);
        }
        SSLEngineResult r;
        try {
            r = normalized(s.engine().unwrap(src, dsts, offset, length));
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && r.bytesConsumed() > 0 && !src.hasRemaining()) {
                r = settled(s, r, dsts, offset, length);
            }
        } catch (SSLException | RuntimeException e) {
            // Providers fail without consuming: what they were offered is the evidence.
            record(s.recorder(), src, before, Math.max(src.position(), src.limit()), false);
            throw fail(s, e, false);
        }
        record(s.recorder(), src, before, src.position(), false);
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finish(s);
        } else if (r.getStatus() == Status.CLOSED) {
            // The server ended the connection with close_notify before the handshake finished.
            s.recorder().endOfStream();
            throw fail(s, new EOFException("the server sent close_notify during the handshake"), false);
        }
        return r;
    }

    /**
     * tcnative answers BUFFER_UNDERFLOW for a call that consumed a whole record (its handshake even
     * FINISHED) when no further record follows; the JDK's engine says OK, and clients such as
     * {@code java.net.http} then wait for bytes that never come. Core's engine says OK too.
     */
    private static SSLEngineResult normalized(SSLEngineResult r) {
        if (r.getStatus() == Status.BUFFER_UNDERFLOW && (r.bytesConsumed() > 0 || r.bytesProduced() > 0
                || r.getHandshakeStatus() == HandshakeStatus.FINISHED)) {
            return new SSLEngineResult(Status.OK, r.getHandshakeStatus(), r.bytesConsumed(), r.bytesProduced());
        }
        return r;
    }

    /**
     * tcnative takes the server's last handshake record and still says NEED_UNWRAP; only its next
     * call, even with no bytes, reports FINISHED. A client that then waits for the server (which waits
     * for the client's request) never gets there, so core's engine makes that call at once.
     */
    private static SSLEngineResult settled(Started s, SSLEngineResult r, ByteBuffer[] dsts, int offset, int length)
            throws SSLException {
        SSLEngineResult again = normalized(s.engine().unwrap(EMPTY, dsts, offset, length));
        if (again.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && again.bytesProduced() == 0) {
            return r;
        }
        Status status = again.getStatus() == Status.BUFFER_UNDERFLOW ? Status.OK : again.getStatus();
        return new SSLEngineResult(status, again.getHandshakeStatus(), r.bytesConsumed(),
                r.bytesProduced() + again.bytesProduced());
    }

    private static void record(WireRecorder recorder, ByteBuffer buffer, int from, int to, boolean sent) {
        if (to <= from) {
            return;
        }
        byte[] bytes = new byte[to - from];
        buffer.duplicate().position(from).get(bytes);
        if (sent) {
            recorder.sent(bytes, 0, bytes.length);
        } else {
            recorder.received(bytes, 0, bytes.length);
        }
    }

    @Override
    public Runnable getDelegatedTask() {
        Started s = started;
        return s == null || s.released() ? null : s.engine().getDelegatedTask();
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        Started s = started;
        if (alertAfterFailure != null) {
            return HandshakeStatus.NEED_WRAP;
        }
        if (s == null || s.released()) {
            return HandshakeStatus.NOT_HANDSHAKING;
        }
        HandshakeStatus hs = s.engine().getHandshakeStatus();
        return failure != null && hs != HandshakeStatus.NEED_WRAP ? HandshakeStatus.NOT_HANDSHAKING : hs;
    }

    // ---- closing ----

    /**
     * Closes the inbound side. During the handshake this means the server closed the connection, or
     * the client gave up waiting: the explained failure is thrown ({@link FailureKind#PEER_CLOSED} and
     * what the bytes say, or {@link FailureKind#TIMEOUT} past the handshake deadline).
     */
    @Override
    public void closeInbound() throws SSLException {
        Started s = started;
        if (s == null) {
            inboundClosedEarly = true;
            return;
        }
        if (s.released()) {
            return;
        }
        if (!handshakeDone && failure == null) {
            // A client whose own timer fired closes the engine: past the deadline that is the timeout.
            SSLException explained;
            if (pastDeadline(s)) {
                explained = timedOut(s);
            } else {
                s.recorder().endOfStream();
                explained = fail(s, new EOFException("the connection was closed during the handshake"), false);
            }
            try {
                s.engine().closeInbound();
            } catch (SSLException expected) {
                // the explained failure says it better
            }
            releaseIfDone(s);
            throw explained;
        }
        try {
            s.engine().closeInbound();
        } finally {
            releaseIfDone(s);
        }
    }

    @Override
    public boolean isInboundDone() {
        Started s = started;
        return s == null ? inboundClosedEarly : s.released() || s.engine().isInboundDone();
    }

    @Override
    public void closeOutbound() {
        Started s = started;
        if (s == null) {
            outboundClosedEarly = true;
            return;
        }
        if (!s.released()) {
            s.engine().closeOutbound();
            releaseIfDone(s);
        }
    }

    @Override
    public boolean isOutboundDone() {
        Started s = started;
        return s == null ? outboundClosedEarly : alertAfterFailure == null && (s.released() || s.engine().isOutboundDone());
    }

    // ---- the session ----

    /**
     * The session of the finished handshake; before it, one without certificates that tells drivers
     * the buffer sizes to allocate.
     */
    @Override
    public SSLSession getSession() {
        SSLSession done = session;
        if (done != null) {
            return done;
        }
        Started s = started;
        if (s != null && !s.released()) {
            return s.engine().getSession();
        }
        return FixedSession.none(getPeerHost(), getPeerPort(), PACKET_SIZE, APPLICATION_SIZE);
    }

    @Override
    public SSLSession getHandshakeSession() {
        Started s = started;
        return s == null || handshakeDone || s.released() ? null : s.engine().getHandshakeSession();
    }

    @Override
    public String getApplicationProtocol() {
        if (!handshakeDone) {
            return null;
        }
        String p = started.engine().getApplicationProtocol();
        return p == null ? "" : p;
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        Started s = started;
        return s == null || handshakeDone || s.released() ? null : s.engine().getHandshakeApplicationProtocol();
    }

    // ---- settings: narrow before the handshake, agree after it ----

    /** What the finished handshake settled; null before it. */
    private Narrowing.Done done() {
        return handshakeDone ? new Narrowing.Done(session, getApplicationProtocol(), sentServerNames) : null;
    }

    /** Settings change only before the handshake begins; after it began they must agree with it. */
    private void requireNotBegun(String what) {
        if (started != null && !handshakeDone) {
            throw new IllegalStateException("the handshake has begun; set " + what + " before the first wrap or unwrap");
        }
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return narrowing.supportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        synchronized (lock) {
            return narrowing.cipherSuites().toArray(new String[0]);
        }
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        synchronized (lock) {
            requireNotBegun("cipher suites");
            narrowing.setCipherSuites(suites, done());
        }
    }

    @Override
    public String[] getSupportedProtocols() {
        return narrowing.supportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        synchronized (lock) {
            return Narrowing.names(narrowing.protocols());
        }
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        synchronized (lock) {
            requireNotBegun("protocols");
            narrowing.setProtocols(protocols, done());
        }
    }

    @Override
    public SSLParameters getSSLParameters() {
        synchronized (lock) {
            return narrowing.parameters(done());
        }
    }

    /**
     * Versions, suites, ALPN and the SNI server name narrow this engine's handshake; nothing can widen
     * the config, and host names are verified whatever the endpoint identification algorithm says.
     */
    @Override
    public void setSSLParameters(SSLParameters params) {
        synchronized (lock) {
            requireNotBegun("SSL parameters");
            narrowing.setParameters(params, done());
        }
    }

    /** Only client mode: tlsupgrade is a client. */
    @Override
    public void setUseClientMode(boolean mode) {
        if (!mode) {
            throw new IllegalArgumentException("tlsupgrade engines are clients; server mode is not supported");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return true;
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        if (need) {
            throw new IllegalArgumentException("client authentication is a server setting; this engine is a client");
        }
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        if (want) {
            throw new IllegalArgumentException("client authentication is a server setting; this engine is a client");
        }
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    /** Always on: every handshake makes a session (resumption is the config's {@code sessionResumption}). */
    @Override
    public void setEnableSessionCreation(boolean flag) {
        if (!flag) {
            throw new IllegalArgumentException("this engine always creates sessions; turn resumption off with the "
                    + "config's sessionResumption(false)");
        }
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }

    @Override
    public String toString() {
        SSLSession done = session;
        return "tlsupgrade " + upgrader.backend().name() + " engine to " + getPeerHost() + ":" + getPeerPort()
                + (done == null ? "" : ", " + done.getProtocol() + " " + done.getCipherSuite());
    }
}
