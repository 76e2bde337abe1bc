package dev.tlsupgrade.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Drives a client {@link SSLEngine} over a connected socket the way event loops do, for the engine
 * contract: the bytes it read are offered whole, one byte at a time or in random fragments; buffers
 * start small and grow on {@code BUFFER_OVERFLOW} and {@code BUFFER_UNDERFLOW}; delegated tasks run
 * on this thread or on another one; {@link #write} and {@link #read} may run on two threads at once,
 * each under its own lock, as Netty's and {@code java.net.http}'s loops do. The same driver runs the
 * JDK's own engine as the reference.
 */
public final class EngineDriver implements AutoCloseable {
    /** How the bytes read from the socket are offered to {@code unwrap}. */
    public enum Feeding {
        /** Everything read so far, several records coalesced. */
        WHOLE,
        /** One more byte after each {@code BUFFER_UNDERFLOW}. */
        ONE_BYTE,
        /** A random 1 to 97 more bytes after each {@code BUFFER_UNDERFLOW}. */
        RANDOM
    }

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Feeding feeding;
    private final ExecutorService tasks;
    private final Random random = new Random(7);
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Bytes read from the socket, not yet offered. Guarded by readLock. */
    private byte[] pending = new byte[0];
    /** Bytes offered to unwrap, in [0, position) between calls. Guarded by readLock. */
    private ByteBuffer netIn;
    /** Plaintext unwrapped, in [0, position) between calls. Guarded by readLock. */
    private ByteBuffer appIn;
    /** Records to send. Guarded by writeLock. */
    private ByteBuffer netOut;
    private volatile boolean finished;
    private int overflows;
    private int underflows;

    /**
     * @param initialBuffer the size every buffer starts at (1 makes every first call overflow)
     * @param tasksElsewhere run delegated tasks on another thread
     */
    public EngineDriver(SSLEngine engine, Socket socket, Feeding feeding, int initialBuffer, boolean tasksElsewhere)
            throws IOException {
        this(engine, socket, feeding, initialBuffer, tasksElsewhere, java.time.Duration.ofSeconds(20));
    }

    /** @param readTimeout how long one socket read may wait, as an event loop's idle timeout */
    public EngineDriver(SSLEngine engine, Socket socket, Feeding feeding, int initialBuffer, boolean tasksElsewhere,
            java.time.Duration readTimeout) throws IOException {
        this.engine = engine;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.feeding = feeding;
        this.netIn = ByteBuffer.allocate(initialBuffer);
        this.appIn = ByteBuffer.allocate(initialBuffer);
        this.netOut = ByteBuffer.allocate(initialBuffer);
        this.tasks = tasksElsewhere ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "engine-task");
            t.setDaemon(true);
            return t;
        }) : null;
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    /** A driver with the usual choices: everything offered whole, buffers of the session's sizes. */
    public static EngineDriver over(SSLEngine engine, Socket socket) throws IOException {
        return new EngineDriver(engine, socket, Feeding.WHOLE, engine.getSession().getPacketBufferSize(), false);
    }

    public SSLEngine engine() {
        return engine;
    }

    /** How often the engine said BUFFER_OVERFLOW and BUFFER_UNDERFLOW, so a test can see the growth paths ran. */
    public int overflows() {
        return overflows;
    }

    public int underflows() {
        return underflows;
    }

    /** Runs the handshake to its end, following the engine's handshake status. */
    public void handshake() throws IOException {
        engine.beginHandshake();
        while (!finished) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    readLock.lock();
                    try {
                        if (unwrap().getStatus() == Status.CLOSED) {
                            throw new EOFException("the engine closed during the handshake");
                        }
                    } finally {
                        readLock.unlock();
                    }
                }
                case NEED_TASK -> runTasks();
                case NOT_HANDSHAKING, FINISHED -> finished = true;
            }
        }
    }

    /** Wraps all of {@code data} and sends the records. */
    public void write(byte[] data) throws IOException {
        ByteBuffer[] src = {ByteBuffer.wrap(data)};
        while (src[0].hasRemaining()) {
            if (wrap(src).getStatus() == Status.CLOSED) {
                throw new IOException("the engine's outbound side is closed");
            }
        }
    }

    /** One wrap, growing the buffer on overflow; sends what it produced. */
    private SSLEngineResult wrap(ByteBuffer[] src) throws IOException {
        writeLock.lock();
        try {
            while (true) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(src, netOut);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    overflows++;
                    netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                    continue;
                }
                netOut.flip();
                out.write(netOut.array(), 0, netOut.limit());
                out.flush();
                after(r);
                return r;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void after(SSLEngineResult r) throws IOException {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            finished = true;
        } else if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    private void runTasks() throws IOException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            if (tasks == null) {
                task.run();
            } else {
                Future<?> f = tasks.submit(task);
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IOException("a delegated task failed: " + e, e);
                }
            }
        }
    }

    /** One unwrap that produced or closed something, reading and growing as the engine asks. Caller holds readLock. */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    underflows++;
                    HandshakeStatus hs = r.getHandshakeStatus();
                    if (hs == HandshakeStatus.FINISHED || hs == HandshakeStatus.NEED_WRAP || hs == HandshakeStatus.NEED_TASK) {
                        // the handshake moved on although this call lacked bytes (tcnative does this)
                        after(r);
                        return r;
                    }
                    offerMore();
                }
                case BUFFER_OVERFLOW -> {
                    overflows++;
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(appIn.capacity() * 2,
                            engine.getSession().getApplicationBufferSize()));
                    appIn.flip();
                    bigger.put(appIn);
                    appIn = bigger;
                }
                case OK, CLOSED -> {
                    after(r);
                    if (r.bytesConsumed() > 0 || r.bytesProduced() > 0 || r.getStatus() == Status.CLOSED
                            || r.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
                        return r;
                    }
                    offerMore(); // nothing done and still wanting input: as an underflow
                }
            }
        }
    }

    /** Moves more read bytes into the engine's view, reading from the socket when none are left. */
    private void offerMore() throws IOException {
        if (pending.length == 0) {
            byte[] buf = new byte[65536];
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw inboundEnded(e);
            }
            if (n < 0) {
                throw inboundEnded(new EOFException("the server closed the connection"));
            }
            pending = Arrays.copyOf(buf, n);
        }
        int k = switch (feeding) {
            case WHOLE -> pending.length;
            case ONE_BYTE -> 1;
            case RANDOM -> Math.min(pending.length, 1 + random.nextInt(97));
        };
        if (netIn.remaining() < k) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + k));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(pending, 0, k);
        pending = Arrays.copyOfRange(pending, k, pending.length);
    }

    /**
     * What event loops do when the connection ends or the read times out: tell the engine
     * ({@code closeInbound}), whose exception, if it throws one, is the failure to report.
     */
    private IOException inboundEnded(IOException cause) {
        try {
            engine.closeInbound();
        } catch (SSLException explained) {
            return explained;
        }
        return cause;
    }

    /** Reads exactly {@code n} bytes of plaintext. */
    public byte[] read(int n) throws IOException {
        readLock.lock();
        try {
            byte[] got = new byte[n];
            int have = 0;
            while (have < n) {
                if (appIn.position() > 0) {
                    appIn.flip();
                    int k = Math.min(appIn.remaining(), n - have);
                    appIn.get(got, have, k);
                    appIn.compact();
                    have += k;
                    continue;
                }
                if (unwrap().getStatus() == Status.CLOSED) {
                    throw new EOFException("close_notify after " + have + " of " + n + " bytes");
                }
            }
            return got;
        } finally {
            readLock.unlock();
        }
    }

    /** Closes the outbound side and sends what the engine wraps for it (close_notify). */
    public void closeOutbound() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 8 && !engine.isOutboundDone(); i++) {
            wrap(NOTHING);
        }
        if (!engine.isOutboundDone()) {
            throw new IOException("the engine's outbound side is not done after close_notify was wrapped");
        }
    }

    /** Unwraps until the server's close_notify; true when it came (the inbound side is then done). */
    public boolean awaitCloseNotify() throws IOException {
        readLock.lock();
        try {
            while (true) {
                SSLEngineResult r;
                try {
                    r = unwrap();
                } catch (EOFException | SSLException endedWithout) {
                    return false; // the connection ended (closeInbound may call that a truncation)
                }
                if (r.getStatus() == Status.CLOSED) {
                    return engine.isInboundDone();
                }
                appIn.clear();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Wraps once with nothing to send; what a client gets after the outbound side closed. */
    public SSLEngineResult wrapNothing() throws SSLException {
        writeLock.lock();
        try {
            netOut.clear();
            return engine.wrap(NOTHING, netOut);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (tasks != null) {
            tasks.shutdownNow();
        }
        socket.close();
    }
}
