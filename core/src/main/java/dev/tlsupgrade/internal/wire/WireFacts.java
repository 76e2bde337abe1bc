package dev.tlsupgrade.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * What the recorded bytes of one handshake say, parsed defensively (every length is checked; a
 * truncated or hostile record ends parsing, never throws).
 *
 * <p>From the client side: the ClientHello's size and SNI name. From the server side: whether it
 * spoke TLS at all, a plaintext alert it sent, the version its ServerHello chose, whether it
 * resumed a session or asked for a client certificate.
 */
public final class WireFacts {
    private static final int MAX_CIPHERTEXT = WireRecorder.MAX_CIPHERTEXT;
    /** The ServerHello random that marks a TLS 1.3 HelloRetryRequest (RFC 8446 4.1.3). */
    static final byte[] HELLO_RETRY_RANDOM = hex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private int clientHelloSize;
    private int cipherSuitesOffered;
    private String sniHostName;
    private boolean clientHelloSeen;
    private Integer alertSentDescription;
    /** What our ClientHello offered, for checking the ServerHello against it (null until parsed). */
    private java.util.Set<Integer> offeredSuites;
    private final java.util.Set<Integer> offeredExtensions = new java.util.HashSet<>();
    private final java.util.Set<Integer> offeredVersions = new java.util.HashSet<>();
    private final java.util.Set<Integer> offeredGroups = new java.util.HashSet<>();
    private final java.util.Set<Integer> offeredSignatureSchemes = new java.util.HashSet<>();
    private byte[] offeredSessionId = new byte[0];
    private String handshakeDefect;

    private boolean anyReceived;
    private boolean notTls;
    private String firstBytesReceived = "";
    private int firstRecordVersion = -1;
    private Integer alertReceivedLevel;
    private Integer alertReceivedDescription;
    private boolean serverHelloSeen;
    private int serverVersion = -1;
    private int serverCipherSuite = -1;
    private int serverSignatureScheme = -1;
    private int dhGroupBits = -1;
    private boolean secureRenegotiation;
    private boolean serverHelloWhole;
    private boolean pskAccepted;
    private boolean certificateSeen;
    private boolean certificateRequestSeen;
    private boolean changeCipherSpecSeen;
    private String flightDefect;
    private final boolean endOfStream;
    private final String readError;
    private final long sentTotal;
    private final long receivedTotal;

    private WireFacts(WireRecorder.Snapshot s) {
        this.endOfStream = s.endOfStream();
        this.readError = s.readError();
        this.sentTotal = s.sentTotal();
        this.receivedTotal = s.receivedTotal();
    }

    public static WireFacts of(WireRecorder.Snapshot snapshot) {
        WireFacts f = new WireFacts(snapshot);
        f.parseSent(snapshot.sent());
        f.parseReceived(snapshot.received());
        return f;
    }

    private void parseSent(byte[] d) {
        int p = 0;
        while (p + 5 <= d.length) {
            int type = d[p] & 0xff;
            int len = u16(d, p + 3);
            int body = p + 5;
            boolean whole = body + len <= d.length;
            if (type == 22 && !clientHelloSeen && len >= 4 && whole && (d[body] & 0xff) == 1) {
                clientHelloSeen = true;
                clientHelloSize = 5 + len;
                parseClientHello(d, body + 4, Math.min(body + 4 + u24(d, body + 1), body + len));
            } else if (type == 21 && len == 2 && whole && alertSentDescription == null) {
                alertSentDescription = d[body + 1] & 0xff;
            } else if (type == 20 || type == 23) {
                return;
            }
            p = body + len;
        }
    }

    private void parseClientHello(byte[] d, int p, int end) {
        if (p + 2 <= end) {
            offeredVersions.add(u16(d, p));
        }
        p += 2 + 32;
        if (p >= end) {
            return;
        }
        int idLength = d[p] & 0xff;
        if (p + 1 + idLength <= end) {
            offeredSessionId = Arrays.copyOfRange(d, p + 1, p + 1 + idLength);
        }
        p += 1 + idLength;
        if (p + 2 > end) {
            return;
        }
        if (p + 2 + u16(d, p) > end) {
            return;
        }
        cipherSuitesOffered = u16(d, p) / 2;
        offeredSuites = new java.util.HashSet<>();
        for (int i = 0; i < cipherSuitesOffered; i++) {
            offeredSuites.add(u16(d, p + 2 + 2 * i));
        }
        p += 2 + u16(d, p);
        if (p >= end) {
            return;
        }
        p += 1 + (d[p] & 0xff);
        if (p + 2 > end) {
            return;
        }
        int extEnd = Math.min(end, p + 2 + u16(d, p));
        p += 2;
        while (p + 4 <= extEnd) {
            int type = u16(d, p);
            int len = u16(d, p + 2);
            int data = p + 4;
            if (data + len > extEnd) {
                return;
            }
            offeredExtensions.add(type);
            if (type == 0 && len >= 5) {
                int nameLen = u16(d, data + 3);
                if ((d[data + 2] & 0xff) == 0 && data + 5 + nameLen <= data + len) {
                    sniHostName = new String(d, data + 5, nameLen, StandardCharsets.US_ASCII);
                }
            } else if (type == 43 && len >= 1) {
                for (int v = data + 1; v + 2 <= data + len; v += 2) {
                    offeredVersions.add(u16(d, v));
                }
            } else if (type == 10 && len >= 2) {
                for (int g = data + 2; g + 2 <= data + len; g += 2) {
                    offeredGroups.add(u16(d, g));
                }
            } else if (type == 13 && len >= 2) {
                for (int g = data + 2; g + 2 <= data + len; g += 2) {
                    offeredSignatureSchemes.add(u16(d, g));
                }
            }
            p = data + len;
        }
    }

    private void parseReceived(byte[] d) {
        anyReceived = d.length > 0;
        if (!anyReceived) {
            return;
        }
        int first = d[0] & 0xff;
        if (first < 20 || first > 24 || d.length >= 3 && (d[1] & 0xff) != 3 && (d[1] & 0xff) != 2) {
            notTls = true;
            firstBytesReceived = printable(d, 80);
            return;
        }
        flightDefect = ServerFlight.defect(d, d.length);
        byte[] handshake = new byte[0];
        int parsed = 0;
        int p = 0;
        while (p + 5 <= d.length) {
            int type = d[p] & 0xff;
            int len = u16(d, p + 3);
            int body = p + 5;
            if (firstRecordVersion < 0) {
                firstRecordVersion = u16(d, p + 1);
                if (len > MAX_CIPHERTEXT) {
                    return;
                }
            } else if (type < 20 || type > 24 || (d[p + 1] & 0xff) != 3 || len > MAX_CIPHERTEXT
                    || serverHelloSeen && u16(d, p + 1) != firstRecordVersion && u16(d, p + 1) != serverVersion) {
                return;
            }
            if (body + len > d.length) {
                return;
            }
            boolean encrypted = changeCipherSpecSeen && !isTls13();
            if (type == 21 && len == 2 && !encrypted && alertReceivedDescription == null) {
                alertReceivedLevel = d[body] & 0xff;
                alertReceivedDescription = d[body + 1] & 0xff;
            } else if (type == 20) {
                changeCipherSpecSeen = true;
            } else if (type == 22 && !encrypted) {
                handshake = Arrays.copyOf(handshake, handshake.length + len);
                System.arraycopy(d, body, handshake, handshake.length - len, len);
                parsed = parseServerMessages(handshake, parsed);
            }
            // Encrypted records are opaque; only their headers are checked.
            p = body + len;
        }
    }

    private int parseServerMessages(byte[] h, int p) {
        while (p + 4 <= h.length) {
            int type = h[p] & 0xff;
            int len = u24(h, p + 1);
            if (p + 4 + len > h.length) {
                return p;
            }
            int body = p + 4;
            if (type == 2) {
                parseServerHello(h, body, body + len);
            } else if (type == 11) {
                certificateSeen = true;
            } else if (type == 13) {
                certificateRequestSeen = true;
            } else if (type == 12) {
                parseServerKeyExchange(h, body, body + len);
            }
            p = body + len;
        }
        return p;
    }

    private void parseServerHello(byte[] d, int p, int end) {
        if (p + 35 > end) {
            return;
        }
        int legacyVersion = u16(d, p);
        if (Arrays.equals(d, p + 2, p + 34, HELLO_RETRY_RANDOM, 0, 32)) {
            return;
        }
        serverHelloSeen = true;
        serverVersion = legacyVersion;
        if ((legacyVersion >> 8) != 3 || legacyVersion > 0x0303) {
            defect(String.format("its legacy_version 0x%04x is no TLS version", legacyVersion));
        }
        p += 34;
        int idLength = d[p] & 0xff;
        if (idLength > 32) {
            defect("its session id claims " + idLength + " bytes (at most 32)");
        }
        byte[] sessionId = p + 1 + idLength <= end ? Arrays.copyOfRange(d, p + 1, p + 1 + idLength) : null;
        p += 1 + idLength;
        if (p + 2 <= end) {
            serverCipherSuite = u16(d, p);
            if (offeredSuites != null && !offeredSuites.contains(serverCipherSuite)) {
                defect(String.format("it chose the cipher suite 0x%04x, which we did not offer", serverCipherSuite));
            }
        }
        p += 2;
        if (p < end && d[p] != 0) {
            defect("it chose compression method " + (d[p] & 0xff));
        }
        p += 1;
        if (p + 2 > end) {
            serverHelloWhole = p == end; // no extensions at all, as old servers answer
            if (p != end) {
                defect("it ends inside its fields");
            }
            return;
        }
        int extEnd = p + 2 + u16(d, p);
        if (extEnd != end) {
            defect("its extensions claim " + u16(d, p) + " bytes where the message holds " + (end - p - 2));
            extEnd = Math.min(end, extEnd);
        }
        p += 2;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        Integer selected = null;
        while (p + 4 <= extEnd) {
            int type = u16(d, p);
            int len = u16(d, p + 2);
            if (p + 4 + len > extEnd) {
                defect("its extension " + type + " claims " + len + " bytes, more than the message holds");
                return;
            }
            if (!seen.add(type)) {
                defect("it carries the extension " + type + " twice");
            }
            // renegotiation_info answers the SCSV as well as the extension (RFC 5746)
            boolean solicited = offeredExtensions.contains(type)
                    || type == 0xff01 && offeredSuites != null && offeredSuites.contains(0x00ff);
            if (!offeredExtensions.isEmpty() && !solicited) {
                defect("it answers an extension we did not send (" + type + ")");
            }
            if (type == 43 && len == 2) {
                selected = u16(d, p + 4);
                serverVersion = selected;
            } else if (type == 51 && len >= 2 && !offeredGroups.isEmpty() && !offeredGroups.contains(u16(d, p + 4))) {
                defect(String.format("its key_share is for the group 0x%04x, which we did not offer", u16(d, p + 4)));
            } else if (type == 41) {
                pskAccepted = true;
            } else if (type == 0xff01) {
                secureRenegotiation = true;
                if (len != 1 || d[p + 4] != 0) {
                    defect("its renegotiation_info is not the empty one of a first handshake (RFC 5746)");
                }
            }
            p += 4 + len;
        }
        if (p != extEnd) {
            defect("its extensions do not add up to their length");
        }
        serverHelloWhole = p == extEnd && extEnd <= end;
        for (int type : seen) {
            if (NEVER_IN_SERVER_HELLO.contains(type) || selected != null && !TLS13_SERVER_HELLO.contains(type)) {
                defect("it carries the extension " + type + ", which no ServerHello " + (selected != null
                        ? "of TLS 1.3 " : "") + "may carry");
            }
        }
        if (selected != null) {
            if (selected < 0x0304 || !offeredVersions.isEmpty() && !offeredVersions.contains(selected)) {
                defect(String.format("its supported_versions selects 0x%04x, which we did not offer", selected));
            } else if (legacyVersion != 0x0303) {
                defect(String.format("it selects TLS 1.3 behind a legacy_version of 0x%04x", legacyVersion));
            } else if (sessionId != null && !Arrays.equals(sessionId, offeredSessionId)) {
                defect("it does not echo our session id, as TLS 1.3 requires");
            }
        } else if (seen.contains(51) || seen.contains(41)) {
            defect("it carries TLS 1.3 extensions (key_share or pre_shared_key) without selecting TLS 1.3");
        }
    }

    /**
     * Extensions only a client sends (RFC 8446 section 4.2): signature_algorithms, padding, early_data,
     * cookie, psk_key_exchange_modes, signature_algorithms_cert.
     */
    private static final java.util.Set<Integer> NEVER_IN_SERVER_HELLO = java.util.Set.of(13, 21, 42, 44, 45, 50);

    /** The only extensions a TLS 1.3 ServerHello carries: pre_shared_key, supported_versions, key_share. */
    private static final java.util.Set<Integer> TLS13_SERVER_HELLO = java.util.Set.of(41, 43, 51);

    /** Keeps the first thing found wrong with the server's handshake messages. */
    private void defect(String what) {
        if (handshakeDefect == null) {
            handshakeDefect = what;
        }
    }

    /**
     * What is wrong with the server's plaintext handshake messages when they cannot be what an intact
     * server sent in answer to our ClientHello: in the ServerHello a field out of range, lengths that
     * do not add up, a suite, version, group or extension we did not offer, TLS 1.3 without its echo;
     * in a TLS 1.2 ServerKeyExchange a curve or signature scheme we did not offer. Null when nothing is.
     */
    public String handshakeDefect() {
        return handshakeDefect;
    }

    /**
     * TLS 1.2's ServerKeyExchange, in the clear: after the (EC)DHE parameters comes the signature
     * scheme the server signed them with.
     */
    private void parseServerKeyExchange(byte[] d, int p, int end) {
        if (isEcdhe(serverCipherSuite) && !isTls13() && p < end && (d[p] & 0xff) != 3) {
            defect("its ServerKeyExchange has the curve type " + (d[p] & 0xff) + " (only named curves, 3, are in use)");
        }
        if (DHE_SUITES.contains(serverCipherSuite) && !isTls13()) {
            dhGroupBits = dhPrimeBits(d, p, end);
        }
        if (serverVersion != 0x0303) {
            return;
        }
        if (p < end && (d[p] & 0xff) == 3 && isEcdhe(serverCipherSuite)) {
            if (p + 3 <= end && !offeredGroups.isEmpty() && !offeredGroups.contains(u16(d, p + 1))) {
                defect(String.format("its ServerKeyExchange names the curve 0x%04x, which we did not offer", u16(d, p + 1)));
            }
            p += 3; // named_curve and its id
            if (p >= end) {
                return;
            }
            p += 1 + (d[p] & 0xff);
        } else {
            for (int i = 0; i < 3; i++) { // DHE: p, g, Ys
                if (p + 2 > end) {
                    return;
                }
                p += 2 + u16(d, p);
            }
        }
        if (p + 2 <= end) {
            serverSignatureScheme = u16(d, p);
            if (!offeredSignatureSchemes.isEmpty() && !offeredSignatureSchemes.contains(serverSignatureScheme)) {
                defect(String.format("its ServerKeyExchange is signed with the scheme 0x%04x, which we did not offer",
                        serverSignatureScheme));
            }
        }
    }

    /**
     * Whether the server's ServerHello carried renegotiation_info (RFC 5746), which a TLS 1.2 or older
     * server that supports secure renegotiation always sends (TLS 1.3 has no renegotiation).
     */
    public boolean secureRenegotiation() {
        return secureRenegotiation;
    }

    /** Whether the ServerHello was read whole, its extensions block included. */
    public boolean serverHelloWhole() {
        return serverHelloWhole;
    }

    /**
     * A whole TLS 1.0-1.2 ServerHello without renegotiation_info: the server does not support RFC 5746, and
     * an attacker could splice data of its own before this connection's handshake on the server's side.
     */
    public boolean insecureRenegotiationServer() {
        return serverHelloWhole && serverVersion >= 0x0301 && serverVersion <= 0x0303 && !secureRenegotiation;
    }

    /** The size of the finite-field DH group (its prime p) in the server's ServerKeyExchange, or -1. */
    public int dhGroupBits() {
        return dhGroupBits;
    }

    /** The finite-field DHE suites (RSA and DSS authenticated) old servers choose. */
    private static final java.util.Set<Integer> DHE_SUITES = java.util.Set.of(0x0013, 0x0016, 0x0032, 0x0033, 0x0038,
            0x0039, 0x0040, 0x0067, 0x006a, 0x006b, 0x009e, 0x009f, 0x00a2, 0x00a3, 0xccaa);

    /** The bit length of dh_p, when the whole ServerDHParams (p, g, Ys) lies within the message; else -1. */
    private static int dhPrimeBits(byte[] d, int p, int end) {
        int at = p;
        for (int i = 0; i < 3; i++) {
            if (at + 2 > end || at + 2 + u16(d, at) > end) {
                return -1;
            }
            at += 2 + u16(d, at);
        }
        int length = u16(d, p);
        int first = p + 2;
        while (length > 0 && d[first] == 0) {
            first++;
            length--;
        }
        return length == 0 ? -1 : (length - 1) * 8 + (32 - Integer.numberOfLeadingZeros(d[first] & 0xff));
    }

    static boolean isDhe(int suite) {
        return DHE_SUITES.contains(suite);
    }

    static boolean isEcdhe(int suite) {
        return ((suite >> 8) == 0xc0 || (suite >> 8) == 0xcc) && suite != 0xccaa; // 0xccaa: DHE-RSA-CHACHA20
    }

    private boolean isTls13() {
        return serverVersion == 0x0304;
    }

    /** The TLS 1.2 signature scheme of the server's ServerKeyExchange (e.g. 0x0201 rsa_pkcs1_sha1), or -1. */
    public int serverSignatureScheme() {
        return serverSignatureScheme;
    }

    /** True when the server signed its TLS 1.2 key exchange with SHA-1 (rsa_pkcs1_sha1, dsa_sha1, ecdsa_sha1). */
    public boolean sha1HandshakeSignature() {
        return serverSignatureScheme == 0x0201 || serverSignatureScheme == 0x0202 || serverSignatureScheme == 0x0203;
    }

    /** Size in bytes of the ClientHello record we sent, or 0 if none was sent. */
    public int clientHelloSize() {
        return clientHelloSize;
    }

    /** How many cipher suites our ClientHello offered (signalling values included), or 0. */
    public int cipherSuitesOffered() {
        return cipherSuitesOffered;
    }

    public boolean clientHelloSent() {
        return clientHelloSeen;
    }

    /** The SNI host name in our ClientHello, or null when it carried none. */
    public String sniHostName() {
        return sniHostName;
    }

    /** A plaintext alert we sent, if any. */
    public OptionalInt alertSent() {
        return alertSentDescription == null ? OptionalInt.empty() : OptionalInt.of(alertSentDescription);
    }

    public long bytesSent() {
        return sentTotal;
    }

    public long bytesReceived() {
        return receivedTotal;
    }

    public boolean anyReceived() {
        return anyReceived;
    }

    /** True when the peer's first bytes cannot be a TLS record. */
    public boolean notTls() {
        return notTls;
    }

    /** The peer's first bytes as text, non-printable bytes as '.', when {@link #notTls()}. */
    public String firstBytesReceived() {
        return firstBytesReceived;
    }

    /** The version field of the peer's first record (0x0301 for TLS 1.0 ...), or -1. */
    public int firstRecordVersion() {
        return firstRecordVersion;
    }

    /** The description of a plaintext alert the peer sent, if any. */
    public OptionalInt alertReceived() {
        return alertReceivedDescription == null ? OptionalInt.empty() : OptionalInt.of(alertReceivedDescription);
    }

    public boolean alertReceivedFatal() {
        return alertReceivedLevel != null && alertReceivedLevel == 2;
    }

    public boolean serverHelloSeen() {
        return serverHelloSeen;
    }

    /** The version the ServerHello chose (0x0301 ... 0x0304), or -1. */
    public int serverVersion() {
        return serverVersion;
    }

    /** True when the server resumed a session: TLS 1.3 accepted a PSK, or TLS 1.2 skipped its Certificate. */
    public boolean resumed() {
        if (!serverHelloSeen) {
            return false;
        }
        return isTls13() ? pskAccepted : changeCipherSpecSeen && !certificateSeen;
    }

    /** True when the server asked for a client certificate in plaintext (TLS 1.2 and older). */
    public boolean certificateRequestSeen() {
        return certificateRequestSeen;
    }

    /**
     * The first thing in the server's records or plaintext handshake messages that no intact server
     * sends (a record header no TLS has, a record version that changes, a record inside an unfinished
     * message, a message whose fields do not add up to its length), or null: evidence that the stream
     * was altered on its way.
     */
    public String flightDefect() {
        return flightDefect;
    }

    /** True when the peer closed its side of the connection during the handshake. */
    public boolean endOfStream() {
        return endOfStream;
    }

    /** The message of the first failed read, or null. */
    public String readError() {
        return readError;
    }

    static int u16(byte[] d, int p) {
        return p + 2 > d.length ? 0 : ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
    }

    static int u24(byte[] d, int p) {
        return p + 3 > d.length ? 0 : ((d[p] & 0xff) << 16) | ((d[p + 1] & 0xff) << 8) | (d[p + 2] & 0xff);
    }

    private static String printable(byte[] d, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(d.length, max); i++) {
            int c = d[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : c == '\r' ? "\\r" : c == '\n' ? "\\n" : ".");
        }
        return sb.toString();
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
