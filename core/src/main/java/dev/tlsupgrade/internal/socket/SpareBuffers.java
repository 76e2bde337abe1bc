package dev.tlsupgrade.internal.socket;

import java.nio.ByteBuffer;

/**
 * Per-thread spare buffers for {@link EngineSocket}. A connection holds its record and plaintext
 * buffers only while they hold bytes; between calls they go back to the spares of the thread that
 * used them, so an idle connection costs no buffer memory (about 100 KiB otherwise), and a busy
 * one reuses its thread's spares instead of allocating per call. A thread keeps at most one spare
 * of each kind.
 */
final class SpareBuffers {
    /** What a buffer is for; each kind has its own spare, since their sizes differ. */
    enum Kind {
        /** Received records not yet unwrapped. */
        NET_IN,
        /** Plaintext unwrapped, not yet read. */
        APP_IN,
        /** Records wrapped, not yet sent. */
        NET_OUT
    }

    private static final ThreadLocal<ByteBuffer[]> SPARES = ThreadLocal.withInitial(() -> new ByteBuffer[Kind.values().length]);

    private SpareBuffers() {
    }

    /** An empty buffer of at least {@code capacity} bytes: this thread's spare if big enough, else a new one. */
    static ByteBuffer take(Kind kind, int capacity) {
        ByteBuffer[] spares = SPARES.get();
        ByteBuffer spare = spares[kind.ordinal()];
        if (spare != null && spare.capacity() >= capacity) {
            spares[kind.ordinal()] = null;
            spare.clear();
            return spare;
        }
        return ByteBuffer.allocate(capacity);
    }

    /** Gives back a buffer whose bytes are no longer needed; it becomes this thread's spare of its kind. */
    static void give(Kind kind, ByteBuffer buffer) {
        buffer.clear();
        SPARES.get()[kind.ordinal()] = buffer;
    }
}
