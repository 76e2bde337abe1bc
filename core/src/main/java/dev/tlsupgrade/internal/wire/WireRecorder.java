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
    /** Where the next record header starts in the received stream; -1 once the stream is not TLS. */
    private long nextHeaderAt;
    private String impossibleRecord;
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

    /** Follows the record headers as they arrive; a length no TLS version allows is noted at once. */
    private void checkHeaders() {
        while (impossibleRecord == null && nextHeaderAt >= 0 && nextHeaderAt + 5 <= inLength) {
            int p = (int) nextHeaderAt;
            int type = in[p] & 0xff;
            int length = ((in[p + 3] & 0xff) << 8) | (in[p + 4] & 0xff);
            if (type < 20 || type > 24 || (in[p + 1] & 0xff) != 3) {
                nextHeaderAt = -1; // not TLS (a plaintext banner, say): the explainer reads it as such
                return;
            }
            impossibleRecord = impossibleHeader(in, p);
            nextHeaderAt += 5 + length;
        }
    }

    /**
     * What is impossible about the TLS record header at {@code p} of {@code d} (five bytes there): a
     * length no TLS version allows; null when nothing is (or when it is no TLS header at all).
     */
    public static String impossibleHeader(byte[] d, int p) {
        int type = d[p] & 0xff;
        int length = ((d[p + 3] & 0xff) << 8) | (d[p + 4] & 0xff);
        if (type < 20 || type > 24 || (d[p + 1] & 0xff) != 3 || length <= MAX_CIPHERTEXT) {
            return null;
        }
        return String.format("a record of type %d and %d bytes, more than the %d any TLS version allows", type, length,
                MAX_CIPHERTEXT);
    }

    /**
     * A record header received so far that announces more bytes than any TLS version allows, or
     * null: a client must not wait for the rest of such a record (it is a changed byte), but fail now.
     */
    public synchronized String impossibleRecord() {
        return impossibleRecord;
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
