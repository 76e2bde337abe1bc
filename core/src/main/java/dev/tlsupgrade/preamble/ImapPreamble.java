package dev.tlsupgrade.preamble;

import java.io.IOException;

/** IMAP STARTTLS (RFC 3501): greeting "* OK", "a1 STARTTLS", tagged OK (untagged lines allowed before it). */
final class ImapPreamble extends Preamble {
    private static final String TAG = "a1";
    private static final int MAX_LINES = 100;

    ImapPreamble() {
        super("imap");
    }

    @Override
    void run(Wire wire) throws IOException {
        String greeting = wire.line();
        if (!greeting.startsWith("* OK")) {
            throw new PreambleException("imap: the greeting was \"" + Wire.quote(greeting) + "\" (expected \"* OK\")");
        }
        wire.sendLine(TAG + " STARTTLS");
        for (int i = 0; i < MAX_LINES; i++) {
            String line = wire.line();
            if (line.startsWith(TAG + " OK")) {
                return;
            }
            if (line.startsWith(TAG + " ")) {
                throw new PreambleException("imap: STARTTLS was refused: \"" + Wire.quote(line) + "\"");
            }
            if (!line.startsWith("* ")) {
                throw new PreambleException("imap: unexpected answer to STARTTLS: \"" + Wire.quote(line) + "\"");
            }
        }
        throw new PreambleException("imap: no answer to STARTTLS within " + MAX_LINES + " lines");
    }
}
