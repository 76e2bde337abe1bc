package dev.tlsupgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tlsupgrade.internal.PrintableText;
import dev.tlsupgrade.internal.wire.WireFacts;
import dev.tlsupgrade.internal.wire.WireRecorder;
import java.io.EOFException;
import java.net.SocketException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;

/**
 * The explainer on arbitrary evidence: any bytes from the server, any provider exception and
 * message, a deadline passed or not. It always names one kind and a hint, its message holds only
 * escaped text, and it advises offering TLS 1.0/1.1 only on clean evidence: nothing received at
 * all, a server's alert refusing our hello before any ServerHello (a well-formed alert record), or a
 * whole, intact ServerHello for a legacy version. Bytes that merely look like TLS never earn it.
 */
class FailureExplainerFuzzTest {
    /**
     * A ClientHello offering TLS 1.3 and 1.2 (SNI tls.example.test, x25519/P-256/P-384, four suites and the
     * renegotiation SCSV), so that ServerHellos are judged against what it offered.
     */
    private static final byte[] CLIENT_HELLO = java.util.HexFormat.of().parseHex(
            "16030100c1010000bd030300000000000000000000000000000000000000000000000000000000000000002011111111"
            + "11111111111111111111111111111111111111111111111111111111000a130113021303c02f00ff0100006a00000015"
            + "0013000010746c732e6578616d706c652e74657374000a00080006001d00170018000d000a0008040308040401020100"
            + "2b00050403040303003300260024001d0020000000000000000000000000000000000000000000000000000000000000"
            + "000000170000");

    private static final TlsClientConfig CONFIG = TlsClientConfig.defaults();

    @FuzzTest(maxDuration = "10s")
    void everyEvidenceIsExplainedAndOnlyCleanEvidenceEarnsLegacyAdvice(FuzzedDataProvider data) {
        int errorType = data.consumeInt(0, 3);
        String text = data.consumeString(120);
        boolean endOfStream = data.consumeBoolean();
        boolean timedOut = data.consumeBoolean();
        byte[] received = data.consumeRemainingAsBytes();
        Throwable error = switch (errorType) {
            case 0 -> new SSLHandshakeException(text);
            case 1 -> new SSLProtocolException(text);
            case 2 -> new EOFException(text);
            default -> new SocketException(text);
        };
        WireFacts wire = WireFacts.of(new WireRecorder.Snapshot(CLIENT_HELLO, CLIENT_HELLO.length, received,
                received.length, endOfStream, null));
        TlsUpgradeException e = new FailureExplainer("fuzz", "tls.example.test", null, CONFIG).explain(error, wire, timedOut);
        assertThat(e.kind()).isNotNull();
        assertThat(e.hint()).isNotBlank();
        assertThat(PrintableText.is(e.getMessage())).as(e.getMessage()).isTrue();
        if (e.hint().contains("allowLegacyProtocols()")) {
            // A well-formed alert record refusing our hello (protocol_version, or handshake_failure and
            // insufficient_security, after which the advice is a last step) is the server's own word.
            boolean clean = !wire.anyReceived()
                    || !wire.serverHelloSeen() && java.util.Set.of(40, 70, 71).contains(wire.alertReceived().orElse(-1))
                    || wire.serverHelloSeen() && wire.serverHelloWhole() && wire.handshakeDefect() == null
                            && TlsVersion.fromWireCode(wire.serverVersion()).filter(TlsVersion::isLegacy).isPresent();
            assertThat(clean).as("legacy advice from unclean evidence: %s", e.getMessage()).isTrue();
        }
    }
}
