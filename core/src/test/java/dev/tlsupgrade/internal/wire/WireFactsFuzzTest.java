package dev.tlsupgrade.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsupgrade.internal.PrintableText;
import java.util.Arrays;

/**
 * {@link WireFacts} on arbitrary bytes each way (the first two bytes say how many of the rest were
 * sent): parsing never throws, and what it reports stays within what was recorded.
 */
class WireFactsFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyRecordedBytesAreParsedDefensively(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int split = Math.min(data.length - 2, ((data[0] & 0xff) << 8) | (data[1] & 0xff));
        byte[] sent = Arrays.copyOfRange(data, 2, 2 + split);
        byte[] received = Arrays.copyOfRange(data, 2 + split, data.length);
        WireFacts f = WireFacts.of(new WireRecorder.Snapshot(sent, sent.length, received, received.length,
                (data[0] & 1) == 1, null));
        assertThat(f.clientHelloSize()).isBetween(0, sent.length);
        assertThat(f.cipherSuitesOffered()).isBetween(0, sent.length / 2);
        assertThat(PrintableText.is(f.firstBytesReceived())).as(f.firstBytesReceived()).isTrue();
        if (f.sniHostName() != null) {
            assertThat(f.sniHostName().length()).isLessThan(sent.length);
        }
        f.resumed();
        f.serverVersion();
        f.flightDefect();
        f.sha1HandshakeSignature();
    }
}
