package dev.tlsupgrade.preamble;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

/**
 * Every preamble against a server that answers with arbitrary bytes (the first byte picks the
 * preamble): it completes or fails with an {@link IOException} (a {@link PreambleException} when the
 * server's answer is wrong), its message carries no control characters, and it reads at most a
 * bounded number of bytes, never all of a long answer.
 */
class PreambleFuzzTest {
    private static final List<Preamble> PREAMBLES = List.of(Preamble.rdp(), Preamble.rdpWithHybrid(),
            Preamble.smtp("client.example.test"), Preamble.imap(), Preamble.pop3(), Preamble.ldap(), Preamble.postgres());

    @FuzzTest(maxDuration = "10s")
    void preamblesCompleteOrRefuseWithinBounds(byte[] data) throws Exception {
        if (data.length == 0) {
            return;
        }
        Preamble preamble = PREAMBLES.get((data[0] & 0xff) % PREAMBLES.size());
        CountingInput in = new CountingInput(Arrays.copyOfRange(data, 1, data.length));
        try {
            preamble.run(new Wire(new ScriptedSocket(in), preamble.name()));
        } catch (IOException e) {
            assertThat(dev.tlsupgrade.internal.PrintableText.is(String.valueOf(e.getMessage()))).as(e.getMessage()).isTrue();
        }
        assertThat(in.read).isLessThanOrEqualTo(64 * 1024);
    }

    /** A connected socket whose server side is a script of bytes. */
    private static final class ScriptedSocket extends Socket {
        private final InputStream in;
        private final OutputStream out = new ByteArrayOutputStream();

        ScriptedSocket(InputStream in) {
            this.in = in;
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public boolean isConnected() {
            return true;
        }
    }

    private static final class CountingInput extends ByteArrayInputStream {
        int read;

        CountingInput(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read() {
            int c = super.read();
            if (c >= 0) {
                read++;
            }
            return c;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
