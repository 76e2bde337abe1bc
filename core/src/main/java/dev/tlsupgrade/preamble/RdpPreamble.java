package dev.tlsupgrade.preamble;

import java.io.IOException;

/**
 * RDP's X.224 negotiation ([MS-RDPBCGR] 2.2.1.1/2.2.1.2): a Connection Request carrying
 * RDP_NEG_REQ, a Connection Confirm carrying RDP_NEG_RSP (the protocol chosen) or RDP_NEG_FAILURE
 * (why not). The TPKT length is checked before anything is read by it.
 */
final class RdpPreamble extends Preamble {
    private static final int PROTOCOL_SSL = 0x1;
    private static final int PROTOCOL_HYBRID = 0x2;
    private static final int MAX_TPKT = 1024;

    private final boolean hybrid;

    RdpPreamble(boolean hybrid) {
        super("rdp");
        this.hybrid = hybrid;
    }

    @Override
    void run(Wire wire) throws IOException {
        int requested = hybrid ? PROTOCOL_SSL | PROTOCOL_HYBRID : PROTOCOL_SSL;
        wire.send(new byte[] {
            0x03, 0x00, 0x00, 0x13, // TPKT: version 3, length 19
            0x0e, (byte) 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, // X.224 CR: LI 14, CR, dst-ref, src-ref, class 0
            0x01, 0x00, 0x08, 0x00, (byte) requested, 0x00, 0x00, 0x00}); // RDP_NEG_REQ
        byte[] tpkt = wire.exactly(4);
        if (tpkt[0] != 0x03) {
            throw new PreambleException("rdp: the server did not answer with a TPKT (first bytes " + hex(tpkt)
                    + "); this port may not be RDP");
        }
        int length = ((tpkt[2] & 0xff) << 8) | (tpkt[3] & 0xff);
        if (length < 11 || length > MAX_TPKT) {
            throw new PreambleException("rdp: the server's TPKT length " + length + " is not that of a Connection Confirm");
        }
        byte[] body = wire.exactly(length - 4);
        if ((body[1] & 0xf0) != 0xd0) {
            throw new PreambleException("rdp: expected an X.224 Connection Confirm (0xD0), got TPDU code 0x"
                    + Integer.toHexString(body[1] & 0xff));
        }
        if (body.length < 7 + 8) {
            throw new PreambleException("rdp: the server sent no negotiation response: it speaks only standard RDP "
                    + "security, not TLS");
        }
        int type = body[7] & 0xff;
        int value = (body[11] & 0xff) | (body[12] & 0xff) << 8 | (body[13] & 0xff) << 16 | (body[14] & 0xff) << 24;
        if (type == 0x03) {
            throw new PreambleException("rdp: the server refused the negotiation with RDP_NEG_FAILURE " + failure(value));
        }
        if (type != 0x02) {
            throw new PreambleException("rdp: unexpected negotiation message type 0x" + Integer.toHexString(type));
        }
        if (value == 0) {
            throw new PreambleException("rdp: the server selected PROTOCOL_RDP (standard RDP security): it does not offer "
                    + "TLS on this port (xrdp: security_layer=rdp; Windows: \"RDP Security Layer\")");
        }
        if ((value & requested) == 0) {
            throw new PreambleException("rdp: the server selected protocol 0x" + Integer.toHexString(value)
                    + ", which was not requested");
        }
    }

    private static String failure(int code) {
        switch (code) {
            case 1:
                return "SSL_REQUIRED_BY_SERVER";
            case 2:
                return "SSL_NOT_ALLOWED_BY_SERVER (the server allows only standard RDP security)";
            case 3:
                return "SSL_CERT_NOT_ON_SERVER (the server has no certificate for TLS)";
            case 4:
                return "INCONSISTENT_FLAGS";
            case 5:
                return "HYBRID_REQUIRED_BY_SERVER (the server wants CredSSP/NLA: use Preamble.rdpWithHybrid())";
            case 6:
                return "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER";
            default:
                return "(unknown failure code " + code + ")";
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xff));
        }
        return sb.toString().trim();
    }
}
