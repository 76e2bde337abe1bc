package dev.tlsupgrade.internal.material;

import java.io.ByteArrayOutputStream;

/**
 * The few DER encodings core writes: what {@link Pem} needs to rewrap PKCS#1 and SEC1 keys, and an
 * OCSP request.
 */
public final class Der {
    private Der() {
    }

    public static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return tlv(0x30, body.toByteArray());
    }

    static byte[] integer(int value) {
        return tlv(0x02, new byte[] {(byte) value});
    }

    /** An INTEGER of {@code value} (a certificate's serial number). */
    public static byte[] integer(java.math.BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    /** ASN.1 NULL. */
    public static byte[] nul() {
        return new byte[] {0x05, 0x00};
    }

    public static byte[] octetString(byte[] content) {
        return tlv(0x04, content);
    }

    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int shift = 63 - Long.numberOfLeadingZeros(arc | 1);
            for (int s = shift / 7 * 7; s > 0; s -= 7) {
                out.write((int) ((arc >>> s) & 0x7f) | 0x80);
            }
            out.write((int) (arc & 0x7f));
        }
        return tlv(0x06, out.toByteArray());
    }

    /** The curve OID element (tag 0x06, whole TLV) inside the [0] parameters of a SEC1 ECPrivateKey, or null. */
    static byte[] ecCurveOf(byte[] sec1) {
        int[] seq = header(sec1, 0);
        if (seq == null || sec1[0] != 0x30) {
            return null;
        }
        int p = seq[0];
        int end = Math.min(sec1.length, seq[0] + seq[1]);
        while (p < end) {
            int[] h = header(sec1, p);
            if (h == null) {
                return null;
            }
            if ((sec1[p] & 0xff) == 0xa0) {
                int[] inner = header(sec1, h[0]);
                if (inner == null || sec1[h[0]] != 0x06) {
                    return null;
                }
                int len = inner[0] + inner[1] - h[0];
                byte[] out = new byte[len];
                System.arraycopy(sec1, h[0], out, 0, len);
                return out;
            }
            p = h[0] + h[1];
        }
        return null;
    }

    /** {content offset, content length} of the TLV at {@code at}, or null if it does not fit. */
    private static int[] header(byte[] d, int at) {
        if (at + 2 > d.length) {
            return null;
        }
        int first = d[at + 1] & 0xff;
        int p = at + 2;
        int len;
        if (first < 0x80) {
            len = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 3 || p + n > d.length) {
                return null;
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (d[p++] & 0xff);
            }
        }
        return p + len > d.length ? null : new int[] {p, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
