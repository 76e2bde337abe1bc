package dev.tlsupgrade.testing;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.FaultProxy.Direction;
import dev.tlsupgrade.testing.FaultProxy.Fault;
import dev.tlsupgrade.testing.FaultProxy.Plan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where to put faults in one clean handshake, and what a client that follows the evidence must
 * conclude from each: the fault class (what was done where) and the kinds that class admits.
 * The answer depends only on the bytes of the clean run, so it is the same for every backend.
 */
final class FaultOracle {
    /** What each side sent in a clean handshake, and where each side's turns began. */
    record Transcript(byte[] toClient, byte[] toServer, List<Long> serverTurns, List<Long> clientTurns) {
    }

    /**
     * The class a fault falls in and the outcomes it admits: failure kinds and possibly "SUCCESS".
     * One outcome, unless the server judges bytes we changed ({@code serverVerdict}).
     */
    record Expected(String faultClass, Set<String> admitted, boolean serverVerdict) {
        boolean admits(String outcome) {
            if (outcome.startsWith("BROKEN")) {
                return false;
            }
            if (outcome.startsWith("SUCCESS")) {
                return admitted.contains("SUCCESS");
            }
            return admitted.contains(outcome.split(" ", 2)[0]);
        }

        @Override
        public String toString() {
            return String.join(" or ", admitted);
        }
    }

    private static final int MAX_RECORD = (1 << 14) + 256;
    /** The largest TLSCiphertext any version allows (TLS 1.2). */
    private static final int MAX_CIPHERTEXT = (1 << 14) + 2048;
    private static final String SUCCESS = "SUCCESS";

    private final Transcript t;
    private final boolean tls13;
    private final List<Integer> serverRecords;
    private final List<Integer> clientRecords;
    private final int serverEnd;
    private final int clientEnd;
    private final Set<Integer> serverHelloVersionBytes = new LinkedHashSet<>();
    private final Set<Integer> handshakeLengthBytes = new LinkedHashSet<>();

    private FaultOracle(Transcript t, TlsVersion version) {
        this.t = t;
        this.tls13 = version == TlsVersion.TLS_1_3;
        this.serverRecords = FaultProxy.recordStarts(t.toClient());
        this.clientRecords = FaultProxy.recordStarts(t.toServer());
        this.serverEnd = tls13 ? (int) turnEnd(t.serverTurns(), 0, t.toClient().length)
                : endOfRecordAfterChangeCipherSpec(t.toClient(), serverRecords);
        this.clientEnd = endOfRecordAfterChangeCipherSpec(t.toServer(), clientRecords);
        findServerHelloVersion();
        findHandshakeLengths();
    }

    static FaultOracle of(Transcript t, TlsVersion version) {
        return new FaultOracle(t, version);
    }

    /** The faults to try: every record header byte, garbage and truncation at every record, a stride through bodies. */
    List<Plan> plans(boolean full) {
        List<Plan> plans = new ArrayList<>();
        for (Direction d : Direction.values()) {
            List<Integer> records = records(d);
            int end = end(d);
            for (int r : records) {
                if (r >= end) {
                    break;
                }
                for (int i = 0; i < 5; i++) {
                    plans.add(Plan.at(Fault.FLIP, d, r + i));
                }
                plans.add(Plan.at(Fault.GARBAGE, d, r));
                if (length(d, r) > 1) {
                    plans.add(Plan.at(Fault.TRUNCATE, d, r));
                }
                plans.add(Plan.at(Fault.CLOSE, d, r));
                plans.add(Plan.at(Fault.RESET, d, r));
            }
            int stride = full ? 1 : 23;
            for (int o = 0; o < end; o += stride) {
                if (!isHeader(d, o)) {
                    plans.add(Plan.at(Fault.FLIP, d, o));
                    if (full) {
                        plans.add(Plan.at(Fault.CLOSE, d, o));
                        plans.add(Plan.at(Fault.RESET, d, o));
                    }
                }
            }
            plans.add(Plan.at(Fault.STALL, d, 0));
            plans.add(Plan.at(Fault.STALL, d, end / 2));
        }
        return plans;
    }

    Expected expect(Plan p) {
        Direction d = p.direction();
        int o = (int) p.offset();
        int record = recordAt(d, o);
        int at = o - record;
        boolean serverSide = d == Direction.TO_CLIENT;
        boolean clientHello = !serverSide && record == clientRecords.get(0);
        // A TLS 1.3 client is done once it has sent its Finished; the server's verdict on that flight comes later.
        boolean clientDone = !serverSide && tls13 && !clientHello;
        String where = serverSide ? (record == 0 ? "server's first record" : encrypted(d, record) ? "server's encrypted records"
                : "server's plaintext records") : clientHello ? "ClientHello" : "client's last flight";
        switch (p.fault()) {
            case CLOSE:
                return expected("close, " + where, clientDone, FailureKind.PEER_CLOSED);
            case RESET:
                return expected("reset, " + where, clientDone, FailureKind.PEER_RESET);
            case STALL:
                return expected("stall, " + where, clientDone, FailureKind.TIMEOUT);
            case TRICKLE:
                return new Expected("trickle", Set.of(SUCCESS), false);
            default:
                break;
        }
        String fault = p.fault().name().toLowerCase();
        if (clientHello) {
            // The server judges an altered ClientHello before it agrees to anything: its alert or silence is the
            // evidence, and any kind can follow (a flipped supported_versions is a true PROTOCOL_VERSION to us).
            Set<String> any = new LinkedHashSet<>();
            for (FailureKind k : FailureKind.values()) {
                any.add(k.name());
            }
            if (p.fault() == Fault.FLIP && at >= 1 && at <= 2) {
                any.add(SUCCESS);
            }
            return new Expected(fault + ", ClientHello (the server's verdict)", any, true);
        }
        if (!serverSide) {
            // After the hello the server judges our altered flight: an alert that says so, a bare alert, or it hangs up.
            Set<String> verdicts = new LinkedHashSet<>(expected("", clientDone, FailureKind.ALTERED_IN_TRANSIT,
                    FailureKind.ALERT, FailureKind.PEER_CLOSED, FailureKind.TIMEOUT).admitted());
            return new Expected(fault + ", client's last flight (the server's verdict)", verdicts, true);
        }
        // From here on the fault is in what the server sent, which this client judges.
        if (p.fault() == Fault.GARBAGE) {
            return o == 0 ? expected("garbage before the server's first record", false, FailureKind.NOT_TLS)
                    : expected("garbage, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (p.fault() == Fault.TRUNCATE) {
            return truncated(d, record, where);
        }
        byte[] s = stream(d);
        int flipped = (s[o] ^ (1 << p.bit())) & 0xff;
        if (at == 0) {
            boolean tlsType = flipped >= 20 && flipped <= 24;
            return record == 0 && !tlsType
                    ? expected("record type made not TLS, server's first record", false, FailureKind.NOT_TLS)
                    : expected("record type, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (at <= 2) {
            if (record == 0) {
                // The first record's minor version is not checked by anyone (servers answer old clients in 0x0301
                // records); a major version other than 3 is no TLS.
                return at == 1 ? expected("record version made not TLS, server's first record", false, FailureKind.NOT_TLS)
                        : new Expected("record version, server's first record", Set.of(SUCCESS), false);
            }
            // A server keeps its first record's version: a change on the way is caught whichever client reads it.
            return expected("record version, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (at <= 4) {
            int oldLength = length(d, record);
            int newLength = at == 3 ? (flipped << 8) | (s[record + 4] & 0xff) : ((s[record + 3] & 0xff) << 8) | flipped;
            int available = (int) turnEnd(turns(d), record, s.length) - record - 5;
            if (newLength > MAX_CIPHERTEXT) {
                // No TLS version allows it: core fails at once instead of waiting for bytes that cannot come.
                return expected("record length no TLS allows, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
            }
            if (newLength > oldLength && newLength > available && (encrypted(d, record) || lastOfTurn(d, record))) {
                // Only the wait shows: what arrived is opaque, or whole messages.
                return expected("record length beyond its turn, last of its turn or encrypted, " + where, false,
                        FailureKind.TIMEOUT);
            }
            // The record takes in the next record's header as message bytes, or leaves a header where none begins.
            return expected("record length, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (handshakeLengthBytes.contains(o)) {
            // Every server message's fields carry their own lengths, which a changed message length contradicts.
            return expected("handshake message length, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (serverHelloVersionBytes.contains(o)) {
            // A version we did not offer, or none at all: never a reason to offer an older one.
            return expected("ServerHello version", false, FailureKind.ALTERED_IN_TRANSIT);
        }
        return expected("flipped bit, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
    }

    /**
     * The outcomes one fault class admits; with {@code afterClientDone} the fault hit what we sent
     * after our handshake was complete (TLS 1.3's last flight), which only the server judges: success,
     * or the failure, when it reached us before our last write returned.
     */
    private static Expected expected(String faultClass, boolean afterClientDone, FailureKind... kinds) {
        Set<String> admitted = new LinkedHashSet<>();
        for (FailureKind k : kinds) {
            admitted.add(k.name());
        }
        if (afterClientDone) {
            admitted.add(SUCCESS);
        }
        return new Expected(faultClass, admitted, afterClientDone);
    }

    /**
     * A record that lost the second half of its body. Encrypted, it fails its integrity check. In the
     * clear, its message reads the next records' bytes as its own: a ChangeCipherSpec inside it, or
     * certificate entries whose lengths no longer match their DER, show at once; a message that ends
     * its turn, or one cut inside its last opaque field (a ServerKeyExchange's signature), only waits.
     */
    private Expected truncated(Direction d, int record, String where) {
        byte[] s = stream(d);
        if (encrypted(d, record) || record == 0) {
            return expected("truncated record, " + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (lastOfTurn(d, record)) {
            return expected("truncated record, last of its turn, " + where, false, FailureKind.TIMEOUT);
        }
        int next = record + 5 + length(d, record);
        int message = s[record] == 22 ? s[record + 5] & 0xff : -1;
        if (s[next] == 20 || message == 11) {
            return expected("truncated record, " + (message == 11 ? "Certificate" : "before a ChangeCipherSpec") + ", "
                    + where, false, FailureKind.ALTERED_IN_TRANSIT);
        }
        if (message == 12) {
            return expected("truncated record, ServerKeyExchange (cut in its signature), " + where, false,
                    FailureKind.TIMEOUT);
        }
        return expected("truncated record, message type " + message + ", " + where, false, FailureKind.ALTERED_IN_TRANSIT);
    }

    /** Whether no other record of the same turn follows the record at {@code record}. */
    private boolean lastOfTurn(Direction d, int record) {
        long turnEnd = turnEnd(turns(d), record, stream(d).length);
        int next = record + 5 + length(d, record);
        return next >= turnEnd;
    }

    private boolean isHeader(Direction d, int o) {
        int r = recordAt(d, o);
        return o - r < 5;
    }

    private int recordAt(Direction d, int o) {
        int found = 0;
        for (int r : records(d)) {
            if (r > o) {
                break;
            }
            found = r;
        }
        return found;
    }

    private boolean encrypted(Direction d, int record) {
        byte[] s = stream(d);
        if (s[record] == 23) {
            return true;
        }
        for (int r : records(d)) {
            if (r >= record) {
                return false;
            }
            if (s[r] == 20) {
                return true;
            }
        }
        return false;
    }

    private int length(Direction d, int record) {
        byte[] s = stream(d);
        return ((s[record + 3] & 0xff) << 8) | (s[record + 4] & 0xff);
    }

    private List<Integer> records(Direction d) {
        return d == Direction.TO_CLIENT ? serverRecords : clientRecords;
    }

    private List<Long> turns(Direction d) {
        return d == Direction.TO_CLIENT ? t.serverTurns() : t.clientTurns();
    }

    private byte[] stream(Direction d) {
        return d == Direction.TO_CLIENT ? t.toClient() : t.toServer();
    }

    private int end(Direction d) {
        return d == Direction.TO_CLIENT ? serverEnd : clientEnd;
    }

    /** Where the turn that contains {@code offset} ends: the start of the next turn, or the stream's end. */
    private static long turnEnd(List<Long> turns, long offset, long streamEnd) {
        for (long start : turns) {
            if (start > offset) {
                return start;
            }
        }
        return streamEnd;
    }

    /** The end of the record after the first ChangeCipherSpec (the Finished), or of the first application-data record. */
    private static int endOfRecordAfterChangeCipherSpec(byte[] s, List<Integer> records) {
        for (int i = 0; i < records.size(); i++) {
            int r = records.get(i);
            if ((s[r] == 20 || s[r] == 23) && i + 1 < records.size()) {
                int f = s[r] == 20 ? records.get(i + 1) : r;
                return f + 5 + (((s[f + 3] & 0xff) << 8) | (s[f + 4] & 0xff));
            }
        }
        return s.length;
    }

    /** The offsets of the length fields of the server's plaintext handshake messages, which may span records. */
    private void findHandshakeLengths() {
        byte[] s = t.toClient();
        List<Integer> positions = new ArrayList<>();
        for (int r : serverRecords) {
            if (s[r] == 20 || s[r] == 23) {
                break;
            }
            if (s[r] == 22) {
                for (int i = r + 5; i < Math.min(s.length, r + 5 + length(Direction.TO_CLIENT, r)); i++) {
                    positions.add(i);
                }
            }
        }
        int p = 0;
        while (p + 4 <= positions.size()) {
            for (int i = 1; i <= 3; i++) {
                handshakeLengthBytes.add(positions.get(p + i));
            }
            p += 4 + (((s[positions.get(p + 1)] & 0xff) << 16) | ((s[positions.get(p + 2)] & 0xff) << 8)
                    | (s[positions.get(p + 3)] & 0xff));
        }
    }

    /** The offsets of the ServerHello's version: legacy_version and the supported_versions extension. */
    private void findServerHelloVersion() {
        byte[] s = t.toClient();
        int body = 5 + 4;
        if (s.length < body + 2 || s[5] != 2) {
            return;
        }
        serverHelloVersionBytes.add(body);
        serverHelloVersionBytes.add(body + 1);
        int p = body + 2 + 32;
        p += 1 + (s[p] & 0xff) + 2 + 1;
        int extEnd = p + 2 + (((s[p] & 0xff) << 8) | (s[p + 1] & 0xff));
        p += 2;
        while (p + 4 <= extEnd && p + 4 <= s.length) {
            int type = ((s[p] & 0xff) << 8) | (s[p + 1] & 0xff);
            int len = ((s[p + 2] & 0xff) << 8) | (s[p + 3] & 0xff);
            if (type == 43) {
                for (int i = 0; i < len; i++) {
                    serverHelloVersionBytes.add(p + 4 + i);
                }
            }
            p += 4 + len;
        }
    }
}
