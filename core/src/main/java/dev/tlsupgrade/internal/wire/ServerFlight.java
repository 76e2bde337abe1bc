package dev.tlsupgrade.internal.wire;

import static dev.tlsupgrade.internal.wire.WireFacts.u16;
import static dev.tlsupgrade.internal.wire.WireFacts.u24;

/**
 * Follows the server's records and plaintext handshake messages as they arrive, and finds the
 * first thing in them no intact server sends: a record version that changes mid-stream, a record
 * that interrupts an unfinished handshake message, a message type no server sends in the clear, or a
 * message whose length is not the sum of its own fields.
 *
 * <p>Each TLS 1.2 (and older) server message carries lengths of its parts (a Certificate its list
 * length, a ServerHello its session id and extensions, a ServerKeyExchange its parameters and
 * signature), so a changed length byte shows as soon as those parts have arrived, while the provider
 * might wait for bytes that never come. Failing then, rather than timing out, tells the same story
 * on every backend. The answer depends only on the bytes, never on a provider.
 */
final class ServerFlight {
    private static final int SERVER_HELLO = 2;
    private static final int CERTIFICATE = 11;
    private static final int SERVER_KEY_EXCHANGE = 12;
    private static final int CERTIFICATE_REQUEST = 13;
    private static final int SERVER_HELLO_DONE = 14;
    private static final int NEW_SESSION_TICKET = 4;
    private static final int CERTIFICATE_STATUS = 22;
    private static final int HELLO_REQUEST = 0;

    /** The plaintext handshake bytes of the complete records so far, records' headers removed. */
    private byte[] messages;
    private int messagesLength;
    private int version = -1;
    private int suite = -1;
    private boolean encrypted;
    /** Where the first record not yet wholly followed starts, in the server's stream. */
    private int parsed;
    private int firstVersion = -1;
    /** Where the first handshake message not yet wholly judged starts, in {@link #messages}. */
    private int judged;
    private String defect;

    ServerFlight() {
        this.messages = new byte[1024];
    }

    /**
     * What no intact server sends in the first {@code length} bytes of {@code received} (the server's
     * stream from its first record on, which must start as TLS), or null when nothing is wrong so far.
     * A record or message that has only partly arrived is judged on what it holds.
     */
    static String defect(byte[] received, int length) {
        return new ServerFlight().follow(received, length);
    }

    /**
     * As {@link #defect(byte[], int)}, for a stream that grows between calls: {@code received} holds
     * the same bytes as before and maybe more. Only what is new is followed (records wholly followed
     * before are not read again, messages wholly judged are not judged again), so a server that sends
     * its flight a byte at a time costs the same as one that sends it at once. The first defect found
     * stays the answer.
     */
    String follow(byte[] d, int length) {
        if (defect == null) {
            defect = next(d, length);
        }
        return defect;
    }

    private String next(byte[] d, int length) {
        while (parsed + 5 <= length) {
            int p = parsed;
            int type = d[p] & 0xff;
            int recordVersion = u16(d, p + 1);
            int recordLength = u16(d, p + 3);
            if (firstVersion >= 0 && (type < 20 || type > 24 || (recordVersion >> 8) != 3)) {
                return String.format("a record header of type %d and version 0x%04x, which no TLS version has", type,
                        recordVersion);
            }
            if (recordLength > WireRecorder.MAX_CIPHERTEXT) {
                return String.format("a record of type %d and %d bytes, more than the %d any TLS version allows", type,
                        recordLength, WireRecorder.MAX_CIPHERTEXT);
            }
            if (firstVersion >= 0 && recordVersion != firstVersion && recordVersion != 0x0303) {
                // A server keeps the version of its first record, or moves to TLS 1.2's 0x0303 (TLS 1.3 always uses it).
                return String.format("a record of version 0x%04x after records of 0x%04x", recordVersion, firstVersion);
            }
            int body = p + 5;
            int available = Math.min(recordLength, length - body);
            if (type == 20 && (recordLength != 1 || available == 1 && d[body] != 1)) {
                return "a ChangeCipherSpec record of " + recordLength + " bytes (it is always the one byte 1)";
            }
            boolean whole = available == recordLength;
            if (!encrypted) {
                if (type == 22) {
                    // A record's bytes join the messages for good once it is whole; until then they are judged where
                    // they will stand, and judged again with what follows them.
                    messages = grow(messages, messagesLength + available);
                    System.arraycopy(d, body, messages, messagesLength, available);
                    String wrong = judgeMessages(messagesLength + available);
                    if (wrong != null) {
                        return wrong;
                    }
                    if (whole) {
                        messagesLength += available;
                    }
                } else if (type == 20 || type == 23) {
                    if (unfinishedMessage()) {
                        return "a " + (type == 20 ? "ChangeCipherSpec" : "application data")
                                + " record inside an unfinished handshake message";
                    }
                    encrypted = true;
                }
            }
            if (!whole) {
                return null;
            }
            if (firstVersion < 0) {
                firstVersion = recordVersion;
            }
            parsed = body + recordLength;
        }
        return null;
    }

    private static byte[] grow(byte[] buf, int needed) {
        return needed <= buf.length ? buf : java.util.Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
    }

    private boolean unfinishedMessage() {
        int p = judged;
        while (p < messagesLength) {
            if (p + 4 > messagesLength || p + 4 + u24(messages, p + 1) > messagesLength) {
                return true;
            }
            p += 4 + u24(messages, p + 1);
        }
        return false;
    }

    /**
     * Walks the messages in the first {@code upTo} bytes not yet wholly judged; judges each on the
     * part of it that has arrived. Messages within the complete records are not judged again.
     */
    private String judgeMessages(int upTo) {
        int p = judged;
        while (p + 4 <= upTo && !encrypted) {
            int type = messages[p] & 0xff;
            int claimed = u24(messages, p + 1);
            int body = p + 4;
            int have = Math.min(claimed, upTo - body);
            String wrong = judge(type, claimed, body, have);
            if (wrong != null) {
                return String.format("a handshake message of type %d claiming %d bytes: %s", type, claimed, wrong);
            }
            if (have < claimed) {
                return null;
            }
            if (type == SERVER_HELLO) {
                learnVersionAndSuite(body, claimed);
            }
            p = body + claimed;
            if (p <= messagesLength) {
                judged = p;
            }
        }
        return null;
    }

    /**
     * What is wrong with one message of {@code claimed} bytes of which {@code have} (from {@code b})
     * have arrived: the sizes its fields give must add up to {@code claimed}.
     */
    private String judge(int type, int claimed, int b, int have) {
        switch (type) {
            case HELLO_REQUEST:
            case SERVER_HELLO_DONE:
                return claimed == 0 ? null : "it has no fields";
            case SERVER_HELLO:
                return serverHello(claimed, b, have);
            case CERTIFICATE:
                return version == 0x0304 ? null : certificate(claimed, b, have);
            case CERTIFICATE_STATUS:
                if (have >= 1 && (messages[b] & 0xff) != 1) {
                    return "its status type " + (messages[b] & 0xff) + " is not OCSP";
                }
                return have >= 4 ? adds(claimed, 4 + u24(messages, b + 1)) : null;
            case NEW_SESSION_TICKET:
                return have >= 6 && version != 0x0304 ? adds(claimed, 6 + u16(messages, b + 4)) : null;
            case SERVER_KEY_EXCHANGE:
                return serverKeyExchange(claimed, b, have);
            case CERTIFICATE_REQUEST:
                return certificateRequest(claimed, b, have);
            default:
                return "no server sends it before encryption starts";
        }
    }

    private static String adds(int claimed, int fields) {
        return claimed == fields ? null : "its fields add up to " + fields;
    }

    private String serverHello(int claimed, int b, int have) {
        if (claimed < 38) {
            return "a ServerHello has at least 38";
        }
        if (have < 35) {
            return null;
        }
        int sessionId = messages[b + 34] & 0xff;
        if (sessionId > 32) {
            return "its session id claims " + sessionId + " bytes";
        }
        int fixed = 35 + sessionId + 3;
        if (claimed == fixed) {
            return null; // no extensions, as old servers answer
        }
        if (claimed < fixed + 2) {
            return "its fields and session id need " + fixed + " bytes, and extensions two more";
        }
        return have >= fixed + 2 ? adds(claimed, fixed + 2 + u16(messages, b + fixed)) : null;
    }

    private String certificate(int claimed, int b, int have) {
        if (have < 3) {
            return null;
        }
        String wrong = adds(claimed, 3 + u24(messages, b));
        if (wrong != null) {
            return wrong;
        }
        int p = b + 3;
        int end = b + claimed;
        while (p + 3 <= b + have) {
            int entry = u24(messages, p);
            if (p + 3 + entry > end) {
                return "its certificate at offset " + (p - b) + " claims " + entry + " bytes, past the message's end";
            }
            if (p + 7 <= b + have) {
                int der = derLength(p + 3);
                if (der != entry) {
                    return "its certificate at offset " + (p - b) + " claims " + entry + " bytes but its DER encoding "
                            + (der < 0 ? "is no SEQUENCE" : "holds " + der);
                }
            }
            p += 3 + entry;
        }
        return null;
    }

    /** The full size of the DER SEQUENCE whose header starts at {@code p} (four bytes there), or -1. */
    private int derLength(int p) {
        if ((messages[p] & 0xff) != 0x30) {
            return -1;
        }
        int first = messages[p + 1] & 0xff;
        if (first < 0x80) {
            return 2 + first;
        }
        if (first == 0x81) {
            return 3 + (messages[p + 2] & 0xff);
        }
        if (first == 0x82) {
            return 4 + u16(messages, p + 2);
        }
        return -1; // a certificate of 64 KiB or more, or no DER length at all
    }

    /**
     * ServerKeyExchange of (EC)DHE: its parameters, then (TLS 1.2) the signature scheme, then the
     * signature; other key exchanges are not judged.
     */
    private String serverKeyExchange(int claimed, int b, int have) {
        int p = b;
        int end = b + have;
        if (WireFacts.isEcdhe(suite)) {
            if (have >= 1 && (messages[b] & 0xff) != 3) {
                return "its curve type " + (messages[b] & 0xff) + " is not a named curve";
            }
            p += 4;
            if (p > end) {
                return null;
            }
            p += messages[p - 1] & 0xff;
        } else if (WireFacts.isDhe(suite)) {
            for (int i = 0; i < 3; i++) {
                if (p + 2 > end) {
                    return null;
                }
                p += 2 + u16(messages, p);
            }
        } else {
            return null;
        }
        int params = p - b;
        if (params > claimed) {
            return "its parameters alone take " + params;
        }
        if (params == claimed) {
            return null; // anonymous: no signature
        }
        p += version == 0x0303 ? 2 : 0;
        return p + 2 <= end ? adds(claimed, p + 2 + u16(messages, p) - b) : null;
    }

    /** CertificateRequest: certificate types, (TLS 1.2) signature schemes, then CA names. */
    private String certificateRequest(int claimed, int b, int have) {
        int p = b;
        int end = b + have;
        if (p + 1 > end) {
            return null;
        }
        p += 1 + (messages[p] & 0xff);
        if (version == 0x0303) {
            if (p + 2 > end) {
                return null;
            }
            p += 2 + u16(messages, p);
        }
        return p + 2 <= end ? adds(claimed, p + 2 + u16(messages, p) - b) : null;
    }

    private void learnVersionAndSuite(int b, int claimed) {
        version = u16(messages, b);
        boolean retry = java.util.Arrays.equals(messages, b + 2, b + 34, WireFacts.HELLO_RETRY_RANDOM, 0, 32);
        int p = b + 35 + (messages[b + 34] & 0xff);
        suite = u16(messages, p);
        p += 3;
        int end = b + claimed;
        if (p + 2 <= end) {
            p += 2;
            while (p + 4 <= end) {
                if (u16(messages, p) == 43 && u16(messages, p + 2) == 2 && p + 6 <= end) {
                    version = u16(messages, p + 4);
                }
                p += 4 + u16(messages, p + 2);
            }
        }
        // TLS 1.3 encrypts everything after the ServerHello (a HelloRetryRequest waits for our second hello).
        encrypted = version == 0x0304 && !retry;
    }
}
