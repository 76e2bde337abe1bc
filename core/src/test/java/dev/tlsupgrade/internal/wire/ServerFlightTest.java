package dev.tlsupgrade.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerFlightTest {

    /** A TLS 1.2 ECDHE server flight as openssl sends it: one record per message. */
    private static final List<byte[]> MESSAGES = List.of(
            message(2, cat(bytes(3, 3), new byte[32], bytes(0), bytes(0xc0, 0x2f, 0), bytes(0, 5, 0xff, 1, 0, 1, 0))),
            message(11, cat(u24(3 + 300 + 3 + 200), u24(300), der(300), u24(200), der(200))),
            message(12, cat(bytes(3, 0, 0x1d, 32), new byte[32], bytes(8, 4), bytes(1, 0), new byte[256])),
            message(14, new byte[0]));

    private static byte[] flight() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : MESSAGES) {
            out.writeBytes(record(22, 0x0303, m));
        }
        return out.toByteArray();
    }

    @Test
    void anIntactFlightIsNeverJudgedWhateverHasArrived() {
        byte[] f = flight();
        for (int n = 1; n <= f.length; n++) {
            assertThat(ServerFlight.defect(f, n)).as("after %d bytes", n).isNull();
        }
        byte[] secondFlight = cat(f, record(20, 0x0303, bytes(1)), record(22, 0x0303, new byte[40]));
        assertThat(ServerFlight.defect(secondFlight, secondFlight.length)).isNull();
    }

    @Test
    void everyChangedBitOfAMessageLengthIsCaughtBeforeTheMessageEnds() {
        byte[] f = flight();
        int recordStart = 0;
        for (byte[] m : MESSAGES) {
            for (int lengthByte = 1; lengthByte <= 3; lengthByte++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] changed = f.clone();
                    changed[recordStart + 5 + lengthByte] ^= (byte) (1 << bit);
                    assertThat(ServerFlight.defect(changed, f.length))
                            .as("message type %d, length byte %d, bit %d", m[0], lengthByte, bit).isNotNull();
                }
            }
            recordStart += 5 + m.length;
        }
    }

    @Test
    void aRecordThatInterruptsAMessageOrChangesVersionIsCaught() {
        byte[] hello = record(22, 0x0303, MESSAGES.get(0));
        byte[] halfCertificate = record(22, 0x0303, java.util.Arrays.copyOf(MESSAGES.get(1), 100));
        byte[] ccs = record(20, 0x0303, bytes(1));
        assertThat(ServerFlight.defect(cat(hello, halfCertificate, ccs), hello.length + halfCertificate.length + 6))
                .contains("ChangeCipherSpec record inside an unfinished handshake message");

        byte[] f = flight();
        f[hello.length + 2] = 2; // the Certificate's record says 0x0302 after a ServerHello record of 0x0303
        assertThat(ServerFlight.defect(f, f.length)).contains("version 0x0302 after records of 0x0303");
        byte[] old = cat(record(22, 0x0301, MESSAGES.get(0)), record(22, 0x0303, MESSAGES.get(1)));
        assertThat(ServerFlight.defect(old, old.length)).as("a move to 0x0303 is what real servers do").isNull();
    }

    @Test
    void aTruncatedCertificateThatSwallowsTheNextMessagesShowsAtTheNextEntry() {
        byte[] cert = MESSAGES.get(1);
        // The first entry and the next entry's header survive; the rest of the record is cut, the next records follow.
        byte[] cut = java.util.Arrays.copyOf(cert, 4 + 3 + 3 + 300);
        byte[] stream = cat(record(22, 0x0303, MESSAGES.get(0)), record(22, 0x0303, cut),
                record(22, 0x0303, MESSAGES.get(2)), record(22, 0x0303, MESSAGES.get(3)));
        assertThat(ServerFlight.defect(stream, stream.length)).contains("certificate at offset 306");
    }

    @Test
    void typesNoServerSendsInTheClearAreCaught() {
        byte[] finished = cat(record(22, 0x0303, MESSAGES.get(0)), record(22, 0x0303, message(20, new byte[12])));
        assertThat(ServerFlight.defect(finished, finished.length)).contains("no server sends it before encryption");
        byte[] tls13 = record(22, 0x0303, message(2, cat(bytes(3, 3), new byte[32], bytes(0), bytes(0x13, 1, 0),
                bytes(0, 6, 0, 43, 0, 2, 3, 4))));
        byte[] thenEncrypted = cat(tls13, record(20, 0x0303, bytes(1)), record(23, 0x0303, new byte[60]));
        assertThat(ServerFlight.defect(thenEncrypted, thenEncrypted.length)).isNull();
    }

    /**
     * One recorder fed a byte at a time follows the stream incrementally (a server dripping its flight
     * must not cost the square of its length); at every prefix it must say what a fresh reading of
     * that prefix says, for the flight as sent, split into one-byte records, and with each length byte
     * of each message changed.
     */
    @Test
    void followingAGrowingStreamSaysWhatReadingItAfreshSays() {
        byte[] f = flight();
        java.io.ByteArrayOutputStream dripped = new java.io.ByteArrayOutputStream();
        for (byte[] m : MESSAGES) {
            for (byte b : m) {
                dripped.writeBytes(record(22, 0x0303, bytes(b & 0xff)));
            }
        }
        List<byte[]> streams = new java.util.ArrayList<>(List.of(f, dripped.toByteArray(),
                cat(record(22, 0x0303, MESSAGES.get(0)), record(20, 0x0303, bytes(1)), record(23, 0x0303, new byte[30]))));
        int recordStart = 0;
        for (byte[] m : MESSAGES) {
            for (int lengthByte = 1; lengthByte <= 3; lengthByte++) {
                byte[] changed = f.clone();
                changed[recordStart + 5 + lengthByte] ^= 0x10;
                streams.add(changed);
            }
            recordStart += 5 + m.length;
        }
        for (byte[] stream : streams) {
            WireRecorder recorder = new WireRecorder();
            String first = null;
            for (int n = 1; n <= stream.length; n++) {
                recorder.received(stream, n - 1, 1);
                String fresh = ServerFlight.defect(stream, n);
                if (first == null) {
                    first = fresh;
                }
                assertThat(recorder.impossibleRecord()).as("after %d of %d bytes", n, stream.length).isEqualTo(first);
            }
        }
    }

    private static byte[] message(int type, byte[] body) {
        return cat(bytes(type), u24(body.length), body);
    }

    private static byte[] record(int type, int version, byte[] body) {
        return cat(bytes(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff), body);
    }

    /** A stand-in certificate: a DER SEQUENCE of {@code size} bytes in all. */
    private static byte[] der(int size) {
        byte[] d = new byte[size];
        d[0] = 0x30;
        d[1] = (byte) 0x82;
        d[2] = (byte) ((size - 4) >> 8);
        d[3] = (byte) (size - 4);
        return d;
    }

    private static byte[] u24(int v) {
        return bytes(v >> 16, v >> 8, v);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] cat(byte[]... parts) {
        List<byte[]> all = new ArrayList<>(List.of(parts));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        all.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
