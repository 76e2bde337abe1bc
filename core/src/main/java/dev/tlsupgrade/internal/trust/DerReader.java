package dev.tlsupgrade.internal.trust;

import java.util.Arrays;

/**
 * A strict reader of DER: one tag-length-value after another within a byte range, definite
 * lengths in their shortest form only, nothing read past the end. Every defect is an
 * {@link IllegalArgumentException}, so hostile bytes from a certificate cannot go further.
 */
final class DerReader {
    private final byte[] data;
    private int pos;
    private final int end;

    DerReader(byte[] data) {
        this(data, 0, data.length);
    }

    private DerReader(byte[] data, int from, int end) {
        this.data = data;
        this.pos = from;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int peekTag() {
        if (pos >= end) {
            throw new IllegalArgumentException("DER ends where a tag was expected");
        }
        int tag = data[pos] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IllegalArgumentException("DER high tag numbers are not used in certificates");
        }
        return tag;
    }

    /** The contents of the next element, which must have tag {@code tag}. */
    byte[] read(int tag) {
        int[] range = element(tag);
        return Arrays.copyOfRange(data, range[0], range[1]);
    }

    /** A reader over the contents of the next element, a SEQUENCE. */
    DerReader sequence() {
        int[] range = element(0x30);
        return new DerReader(data, range[0], range[1]);
    }

    /** A reader over the contents of the next element, a SET. */
    DerReader set() {
        int[] range = element(0x31);
        return new DerReader(data, range[0], range[1]);
    }

    /** A reader over the contents of the next element with tag {@code tag} (constructed). */
    DerReader constructed(int tag) {
        int[] range = element(tag);
        return new DerReader(data, range[0], range[1]);
    }

    private int[] element(int tag) {
        int got = peekTag();
        if (got != tag) {
            throw new IllegalArgumentException(String.format("DER tag 0x%02x where 0x%02x was expected", got, tag));
        }
        pos++;
        if (pos >= end) {
            throw new IllegalArgumentException("DER ends in a length");
        }
        int first = data[pos++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || pos + bytes > end) {
                throw new IllegalArgumentException("DER length of " + bytes + " bytes");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (data[pos++] & 0xff);
            }
            if (length < 0x80 || (bytes > 1 && length < (1 << (8 * (bytes - 1))))) {
                throw new IllegalArgumentException("DER length not in its shortest form");
            }
        }
        if (length > end - pos) {
            throw new IllegalArgumentException("DER element of " + length + " bytes runs past its container");
        }
        int[] range = {pos, pos + length};
        pos += length;
        return range;
    }
}
