package dev.tlsupgrade.preamble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each preamble against a scripted plaintext server on loopback. The scripts end by sending their
 * last answer and "TLS!" in one write: the preamble must leave "TLS!" in the socket.
 */
@Timeout(30)
class PreambleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] NEXT = "TLS!".getBytes(StandardCharsets.US_ASCII);

    private interface Script {
        void run(InputStream in, OutputStream out) throws IOException;
    }

    /** Runs {@code preamble} against {@code script}; returns the client socket, positioned after the preamble. */
    private static Socket against(Preamble preamble, Script script) throws Exception {
        return against(preamble, script, 0);
    }

    private static Socket against(Preamble preamble, Script script, int soTimeout) throws Exception {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try (server; Socket s = server.accept()) {
                script.run(s.getInputStream(), s.getOutputStream());
                s.getInputStream().read();
            } catch (IOException ignored) {
                // the client went away
            }
        });
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        client.setSoTimeout(soTimeout);
        try {
            preamble.negotiate(client, TIMEOUT);
        } catch (IOException | RuntimeException e) {
            client.close();
            done.get(5, TimeUnit.SECONDS);
            throw e;
        }
        return client;
    }

    private static void assertTlsBytesLeft(Socket client) throws IOException {
        try (client) {
            assertThat(client.getInputStream().readNBytes(NEXT.length)).as("bytes after the preamble stay in the socket")
                    .isEqualTo(NEXT);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static void send(OutputStream out, String text, boolean thenTls) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        if (thenTls) {
            out.write(NEXT);
        }
        out.flush();
    }

    @Test
    void everyPreambleIsFoundByItsNameAndNothingElseIs() {
        for (Preamble p : java.util.List.of(Preamble.none(), Preamble.rdp(), Preamble.smtp("client.test"), Preamble.imap(),
                Preamble.pop3(), Preamble.ldap(), Preamble.postgres())) {
            org.assertj.core.api.Assertions.assertThat(Preamble.named(p.name(), "client.test")).as(p.name())
                    .hasValueSatisfying(found -> org.assertj.core.api.Assertions.assertThat(found.name()).isEqualTo(p.name()));
        }
        org.assertj.core.api.Assertions.assertThat(Preamble.named("gopher", "client.test")).isEmpty();
    }

    @Test
    void smtpStartTls() throws Exception {
        Socket client = against(Preamble.smtp("client.example.test"), (in, out) -> {
            send(out, "220-mail.example.test ready\r\n220 ESMTP\r\n", false);
            assertThat(line(in)).isEqualTo("EHLO client.example.test");
            send(out, "250-mail.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n", false);
            assertThat(line(in)).isEqualTo("STARTTLS");
            send(out, "220 go ahead\r\n", true);
        });
        assertTlsBytesLeft(client);
    }

    @Test
    void smtpWithoutStartTlsIsExplained() {
        assertThatThrownBy(() -> against(Preamble.smtp("c"), (in, out) -> {
            send(out, "220 mail\r\n", false);
            line(in);
            send(out, "250-mail\r\n250 PIPELINING\r\n", false);
        })).isInstanceOf(PreambleException.class).hasMessageContaining("does not offer STARTTLS")
                .hasMessageContaining("250 PIPELINING");
    }

    @Test
    void anEndlessLineIsCutOff() {
        assertThatThrownBy(() -> against(Preamble.smtp("c"), (in, out) -> send(out, "220 " + "x".repeat(10_000), false)))
                .isInstanceOf(PreambleException.class).hasMessageContaining("longer than 4096 bytes");
    }

    @Test
    void imapStartTls() throws Exception {
        Socket client = against(Preamble.imap(), (in, out) -> {
            send(out, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", false);
            assertThat(line(in)).isEqualTo("a1 STARTTLS");
            send(out, "* CAPABILITY IMAP4rev1\r\na1 OK Begin TLS negotiation now\r\n", true);
        });
        assertTlsBytesLeft(client);
        assertThatThrownBy(() -> against(Preamble.imap(), (in, out) -> {
            send(out, "* OK ready\r\n", false);
            line(in);
            send(out, "a1 BAD STARTTLS not available\r\n", false);
        })).isInstanceOf(PreambleException.class).hasMessageContaining("\"a1 BAD STARTTLS not available\"");
    }

    @Test
    void pop3Stls() throws Exception {
        Socket client = against(Preamble.pop3(), (in, out) -> {
            send(out, "+OK POP3 ready\r\n", false);
            assertThat(line(in)).isEqualTo("STLS");
            send(out, "+OK Begin TLS\r\n", true);
        });
        assertTlsBytesLeft(client);
        assertThatThrownBy(() -> against(Preamble.pop3(), (in, out) -> {
            send(out, "+OK ready\r\n", false);
            line(in);
            send(out, "-ERR command not recognised\r\n", false);
        })).isInstanceOf(PreambleException.class).hasMessageContaining("-ERR command not recognised");
    }

    @Test
    void postgresSslRequest() throws Exception {
        Socket client = against(Preamble.postgres(), (in, out) -> {
            assertThat(in.readNBytes(8)).containsExactly(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f);
            send(out, "S", true);
        });
        assertTlsBytesLeft(client);
        assertThatThrownBy(() -> against(Preamble.postgres(), (in, out) -> {
            in.readNBytes(8);
            send(out, "N", false);
        })).isInstanceOf(PreambleException.class).hasMessageContaining("answered 'N'");
    }

    private static final byte[] LDAP_START_TLS = {0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, (byte) 0x80, 0x16,
        '1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.', '1', '4', '6', '6', '.', '2', '0', '0', '3', '7'};

    private static byte[] ldapResponse(int resultCode, String diagnostic) {
        byte[] diag = diagnostic.getBytes(StandardCharsets.US_ASCII);
        int inner = 3 + 2 + 2 + diag.length;
        byte[] r = new byte[2 + 3 + 2 + inner];
        int p = 0;
        r[p++] = 0x30;
        r[p++] = (byte) (3 + 2 + inner);
        r[p++] = 0x02;
        r[p++] = 0x01;
        r[p++] = 0x01;
        r[p++] = 0x78;
        r[p++] = (byte) inner;
        r[p++] = 0x0a;
        r[p++] = 0x01;
        r[p++] = (byte) resultCode;
        r[p++] = 0x04;
        r[p++] = 0x00;
        r[p++] = 0x04;
        r[p++] = (byte) diag.length;
        System.arraycopy(diag, 0, r, p, diag.length);
        return r;
    }

    @Test
    void ldapStartTls() throws Exception {
        Socket client = against(Preamble.ldap(), (in, out) -> {
            assertThat(in.readNBytes(LDAP_START_TLS.length)).isEqualTo(LDAP_START_TLS);
            out.write(ldapResponse(0, ""));
            out.write(NEXT);
            out.flush();
        });
        assertTlsBytesLeft(client);
        assertThatThrownBy(() -> against(Preamble.ldap(), (in, out) -> {
            in.readNBytes(LDAP_START_TLS.length);
            out.write(ldapResponse(53, "TLS already active"));
            out.flush();
        })).isInstanceOf(PreambleException.class).hasMessageContaining("resultCode 53 (unwillingToPerform)")
                .hasMessageContaining("TLS already active");
        assertThatThrownBy(() -> against(Preamble.ldap(), (in, out) -> {
            in.readNBytes(LDAP_START_TLS.length);
            out.write(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            out.flush();
        })).isInstanceOf(PreambleException.class).hasMessageContaining("BER length");
    }

    private static final byte[] RDP_CR = {0x03, 0x00, 0x00, 0x13, 0x0e, (byte) 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};

    private static byte[] rdpConfirm(int type, int value) {
        return new byte[] {0x03, 0x00, 0x00, 0x13, 0x0e, (byte) 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00,
            (byte) type, 0x00, 0x08, 0x00, (byte) value, 0x00, 0x00, 0x00};
    }

    @Test
    void rdpNegotiation() throws Exception {
        Socket client = against(Preamble.rdp(), (in, out) -> {
            assertThat(in.readNBytes(RDP_CR.length)).isEqualTo(RDP_CR);
            out.write(rdpConfirm(0x02, 0x01));
            out.write(NEXT);
            out.flush();
        });
        assertTlsBytesLeft(client);
    }

    @Test
    void rdpRefusalsAreNamed() {
        assertThatThrownBy(() -> against(Preamble.rdp(), (in, out) -> {
            in.readNBytes(RDP_CR.length);
            out.write(rdpConfirm(0x03, 0x05));
            out.flush();
        })).isInstanceOf(PreambleException.class).hasMessageContaining("HYBRID_REQUIRED_BY_SERVER");
        assertThatThrownBy(() -> against(Preamble.rdp(), (in, out) -> {
            in.readNBytes(RDP_CR.length);
            out.write(rdpConfirm(0x02, 0x00));
            out.flush();
        })).isInstanceOf(PreambleException.class).hasMessageContaining("does not offer TLS");
        assertThatThrownBy(() -> against(Preamble.rdp(), (in, out) -> {
            in.readNBytes(RDP_CR.length);
            out.write(new byte[] {0x03, 0x00, (byte) 0xff, (byte) 0xff});
            out.flush();
        })).isInstanceOf(PreambleException.class).hasMessageContaining("TPKT length 65535");
        assertThatThrownBy(() -> against(Preamble.rdp(), (in, out) -> {
            in.readNBytes(RDP_CR.length);
            send(out, "HTTP/1.1 400 Bad Request\r\n", false);
        })).isInstanceOf(PreambleException.class).hasMessageContaining("not answer with a TPKT");
    }

    @Test
    void aSilentServerTimesOutAndTheSocketTimeoutIsRestoredOnSuccess() throws Exception {
        long start = System.nanoTime();
        ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (silent; Socket client = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort())) {
            assertThatThrownBy(() -> Preamble.pop3().negotiate(client, Duration.ofMillis(300)))
                    .isInstanceOf(IOException.class).hasMessageContaining("pop3");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        Socket client = against(Preamble.postgres(), (in, out) -> {
            in.readNBytes(8);
            send(out, "S", true);
        }, 777);
        assertThat(client.getSoTimeout()).as("the caller's SO_TIMEOUT is back").isEqualTo(777);
        assertTlsBytesLeft(client);
    }
}
