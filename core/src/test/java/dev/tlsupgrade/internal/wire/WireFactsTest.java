package dev.tlsupgrade.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class WireFactsTest {

    private static byte[] clientHello(String sni) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine("x", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static WireFacts facts(byte[] sent, byte[] received, boolean eof) {
        return WireFacts.of(new WireRecorder.Snapshot(sent, sent.length, received, received.length, eof, null));
    }

    @Test
    void readsTheSniNameAndSizeOfARealClientHello() throws Exception {
        byte[] hello = clientHello("localhost");
        WireFacts f = facts(hello, new byte[0], false);
        assertThat(f.clientHelloSent()).isTrue();
        assertThat(f.sniHostName()).isEqualTo("localhost");
        assertThat(f.clientHelloSize()).isEqualTo(hello.length);
        assertThat(facts(clientHello(null), new byte[0], false).sniHostName()).isNull();
    }

    @Test
    void seesPlaintextAndQuotesIt() {
        WireFacts f = facts(new byte[0], "220 mail.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(f.notTls()).isTrue();
        assertThat(f.firstBytesReceived()).isEqualTo("220 mail.example ESMTP\\r\\n");
    }

    @Test
    void readsAPlaintextAlert() {
        WireFacts f = facts(new byte[0], new byte[] {21, 3, 1, 0, 2, 2, 70}, true);
        assertThat(f.alertReceived()).hasValue(70);
        assertThat(f.alertReceivedFatal()).isTrue();
        assertThat(f.firstRecordVersion()).isEqualTo(0x0301);
        assertThat(f.endOfStream()).isTrue();
        assertThat(TlsAlerts.name(70)).isEqualTo("protocol_version");
    }

    @Test
    void survivesTruncatedAndHostileRecords() {
        byte[][] inputs = {
            {22}, {22, 3, 3, (byte) 0xff, (byte) 0xff, 1, 2}, {22, 3, 3, 0, 4, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff},
            {22, 3, 3, 0, 6, 2, 0, 0, 2, 3, 3}, {21, 3, 3, 0, 1, 2},
        };
        for (byte[] in : inputs) {
            WireFacts f = facts(in, in, false);
            assertThat(f.serverHelloSeen()).isFalse();
            assertThat(f.resumed()).isFalse();
        }
    }

    @Test
    void findsAlertNamesInEveryProvidersSpelling() {
        assertThat(TlsAlerts.findIn("Received fatal alert: handshake_failure")).hasValue("handshake_failure");
        assertThat(TlsAlerts.findIn("TlsFatalAlertReceived: protocol_version(70)")).hasValue("protocol_version");
        assertThat(TlsAlerts.findIn("error:1000042e:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION"))
                .hasValue("protocol_version");
        assertThat(TlsAlerts.findIn("SSLV3_ALERT_BAD_CERTIFICATE")).hasValue("bad_certificate");
        assertThat(TlsAlerts.findIn("connection reset")).isEmpty();
    }
}
