package dev.tlsupgrade.preamble;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * LDAP StartTLS (RFC 4511 4.14): an ExtendedRequest for 1.3.6.1.4.1.1466.20037, and its
 * ExtendedResponse, whose resultCode must be success. The BER length is checked before the message
 * is read, and only that message is read.
 */
final class LdapPreamble extends Preamble {
    private static final byte[] OID = "1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_MESSAGE = 16 * 1024;

    LdapPreamble() {
        super("ldap");
    }

    @Override
    void run(Wire wire) throws IOException {
        byte[] request = new byte[2 + 3 + 2 + 2 + OID.length];
        int p = 0;
        request[p++] = 0x30;
        request[p++] = (byte) (3 + 2 + 2 + OID.length);
        request[p++] = 0x02; // messageID 1
        request[p++] = 0x01;
        request[p++] = 0x01;
        request[p++] = 0x77; // [APPLICATION 23] ExtendedRequest
        request[p++] = (byte) (2 + OID.length);
        request[p++] = (byte) 0x80; // [0] requestName
        request[p++] = (byte) OID.length;
        System.arraycopy(OID, 0, request, p, OID.length);
        wire.send(request);

        if (wire.read() != 0x30) {
            throw new PreambleException("ldap: the answer is not an LDAP message; this port may not be LDAP");
        }
        byte[] message = wire.exactly(length(wire));
        Ber ber = new Ber(message);
        long id = ber.integer(0x02);
        if (id != 1) {
            throw new PreambleException("ldap: the server answered message " + id + " instead of our StartTLS request"
                    + (id == 0 ? " (a notice of disconnection)" : ""));
        }
        ber.enter(0x78);
        int result = (int) ber.integer(0x0a);
        ber.skip(0x04);
        String diagnostic = new String(ber.octets(0x04), StandardCharsets.UTF_8);
        if (result != 0) {
            throw new PreambleException("ldap: StartTLS was refused with resultCode " + result + " (" + resultName(result)
                    + ")" + (diagnostic.isEmpty() ? "" : ": \"" + Wire.quote(diagnostic) + "\""));
        }
    }

    private static int length(Wire wire) throws IOException {
        int first = wire.read();
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 3) {
                throw new PreambleException("ldap: unsupported BER length form 0x" + Integer.toHexString(first));
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | wire.read();
            }
        }
        if (length < 5 || length > MAX_MESSAGE) {
            throw new PreambleException("ldap: the answer's length " + length + " is not that of an ExtendedResponse");
        }
        return length;
    }

    private static String resultName(int code) {
        switch (code) {
            case 1:
                return "operationsError";
            case 2:
                return "protocolError: the server does not know StartTLS";
            case 52:
                return "unavailable";
            case 53:
                return "unwillingToPerform";
            default:
                return "see RFC 4511 4.1.9";
        }
    }

    /** A reader over one BER-encoded message, every length checked against what is left. */
    private static final class Ber {
        private final byte[] d;
        private int p;

        Ber(byte[] d) {
            this.d = d;
        }

        private int header(int tag) throws PreambleException {
            if (p >= d.length || (d[p] & 0xff) != tag) {
                throw new PreambleException("ldap: malformed ExtendedResponse (expected tag 0x" + Integer.toHexString(tag) + ")");
            }
            p++;
            if (p >= d.length) {
                throw new PreambleException("ldap: truncated ExtendedResponse");
            }
            int first = d[p++] & 0xff;
            int len = first;
            if (first >= 0x80) {
                int n = first & 0x7f;
                if (n == 0 || n > 3 || p + n > d.length) {
                    throw new PreambleException("ldap: malformed BER length in the ExtendedResponse");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (d[p++] & 0xff);
                }
            }
            if (len > d.length - p) {
                throw new PreambleException("ldap: a length in the ExtendedResponse runs past its end");
            }
            return len;
        }

        long integer(int tag) throws PreambleException {
            int len = header(tag);
            if (len < 1 || len > 4) {
                throw new PreambleException("ldap: malformed integer in the ExtendedResponse");
            }
            long v = 0;
            for (int i = 0; i < len; i++) {
                v = (v << 8) | (d[p++] & 0xff);
            }
            return v;
        }

        void enter(int tag) throws PreambleException {
            header(tag);
        }

        void skip(int tag) throws PreambleException {
            int len = header(tag);
            p += len;
        }

        byte[] octets(int tag) throws PreambleException {
            int len = header(tag);
            byte[] out = java.util.Arrays.copyOfRange(d, p, p + len);
            p += len;
            return out;
        }
    }
}
