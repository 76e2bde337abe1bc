package dev.tlsupgrade.preamble;

import java.io.IOException;

/** POP3 STLS (RFC 2595): greeting "+OK", STLS, "+OK". */
final class Pop3Preamble extends Preamble {
    Pop3Preamble() {
        super("pop3");
    }

    @Override
    void run(Wire wire) throws IOException {
        String greeting = wire.line();
        if (!greeting.startsWith("+OK")) {
            throw new PreambleException("pop3: the greeting was \"" + Wire.quote(greeting) + "\" (expected \"+OK\")");
        }
        wire.sendLine("STLS");
        String answer = wire.line();
        if (!answer.startsWith("+OK")) {
            throw new PreambleException("pop3: STLS was refused: \"" + Wire.quote(answer) + "\"");
        }
    }
}
