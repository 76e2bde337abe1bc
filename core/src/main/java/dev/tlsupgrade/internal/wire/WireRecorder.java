package dev.tlsupgrade.internal.wire;

import java.util.Arrays;

/**
 * Keeps the first bytes each way of one handshake, so that failures and results can be explained
 * from what really crossed the connection: the ClientHello we sent (its size, its SNI), the server's
 * first records (a plaintext alert, a ServerHello, or no TLS at all), and how the connection ended.
 *
 * <p>Recording stops when the handshake ends; after that the streams only pass bytes through.
 */
public final class WireRecorder {
    private static final int OUT_CAP = 20 * 1024;
    private static final int IN_CAP = 64 * 1024;
    /** The largest TLSCiphertext any version allows (TLS 1.2: 2^14 + 2048). */
    static final int MAX_CIPHERTEXT = (1 << 14) + 2048;

    private byte[] out = new byte[2048];
    private int outLength;
    private long outTotal;
    private byte[] in = new byte[4096];
    private int inLength;
    private long inTotal;
    private boolean endOfStream;
    private String readError;
    private String impossibleRecord;
    /** Follows the server's stream as it grows, reading each byte once however the server splits it. */
    private ServerFlight flight = new ServerFlight();
    private volatile boolean recording = true;

    /** Whether bytes are still kept (until the handshake ends). */
    public boolean recording() {
        return recording;
    }

    /** Stops keeping bytes and drops the buffers. */
    public synchronized void stop() {
        recording = false;
        out = null;
        in = null;
        flight = null;
    }

    /** Keeps bytes written to the peer. */
    public synchronized void sent(byte[] b, int off, int len) {
        if (!recording) {
            return;
        }
        outTotal += len;
        int keep = Math.min(len, OUT_CAP - outLength);
        if (keep > 0) {
            out = grow(out, outLength + keep);
            System.arraycopy(b, off, out, outLength, keep);
            outLength += keep;
        }
    }

    /** Keeps bytes read from the peer. */
    public synchronized void received(byte[] b, int off, int len) {
        if (!recording) {
            return;
        }
        inTotal += len;
        int keep = Math.min(len, IN_CAP - inLength);
        if (keep > 0) {
            in = grow(in, inLength + keep);
            System.arraycopy(b, off, in, inLength, keep);
            inLength += keep;
        }
        checkHeaders();
    }

    /** Follows the server's records and plaintext messages as they arrive; notes the first impossible thing at once. */
    private void checkHeaders() {
        if (impossibleRecord == null && inLength > 0) {
            impossibleRecord = impossible(in, inLength);
        }
    }

    private String impossible(byte[] d, int length) {
        int type = d[0] & 0xff;
        if (type < 20 || type > 24 || length >= 2 && (d[1] & 0xff) != 3) {
            // Not TLS at all (a plaintext banner, say): no provider needs more of it to fail, and the explainer says so.
            return length >= 2 ? "the server's first bytes are no TLS record" : null;
        }
        // The bytes an engine is about to be given are the stream's next bytes, so following them now is following
        // what will be recorded: the flight's state stays true to the stream.
        return flight.follow(d, length);
    }

    /**
     * What no intact server sends, found in the bytes received so far, or null: a client must not
     * wait for more of such a stream (the provider might, for bytes that cannot come), but fail now.
     */
    public synchronized String impossibleRecord() {
        return impossibleRecord;
    }

    /**
     * As {@link #impossibleRecord()}, for the bytes received so far followed by {@code pending}, which
     * an engine is about to be given (the buffer is not changed).
     */
    public synchronized String impossibleWith(java.nio.ByteBuffer pending) {
        if (!recording || impossibleRecord != null) {
            return impossibleRecord;
        }
        int extra = Math.min(pending.remaining(), IN_CAP - inLength);
        if (extra <= 0) {
            return null;
        }
        byte[] d = Arrays.copyOf(in, inLength + extra);
        pending.duplicate().get(d, inLength, extra);
        return impossible(d, inLength + extra);
    }

    /** Notes that the peer closed its side. */
    public synchronized void endOfStream() {
        if (recording) {
            endOfStream = true;
        }
    }

    /** Notes the first exception a read threw. */
    public synchronized void readFailed(Exception e) {
        if (recording && readError == null) {
            readError = String.valueOf(e.getMessage());
        }
    }

    private static byte[] grow(byte[] buf, int needed) {
        return needed <= buf.length ? buf : Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }

    /** A copy of what has been recorded so far. */
    public synchronized Snapshot snapshot() {
        return new Snapshot(out == null ? new byte[0] : Arrays.copyOf(out, outLength), outTotal,
                in == null ? new byte[0] : Arrays.copyOf(in, inLength), inTotal, endOfStream, readError);
    }

    /**
     * The bytes each way (the first few KiB) and how the inbound side ended.
     *
     * @param sent the first bytes written
     * @param sentTotal how many bytes were written in all
     * @param received the first bytes read
     * @param receivedTotal how many bytes were read in all
     * @param endOfStream the peer closed its side (a read returned -1)
     * @param readError the message of the first exception a read threw, or null
     */
    public record Snapshot(byte[] sent, long sentTotal, byte[] received, long receivedTotal, boolean endOfStream,
            String readError) {
    }
}
