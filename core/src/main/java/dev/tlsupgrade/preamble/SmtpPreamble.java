package dev.tlsupgrade.preamble;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SMTP STARTTLS (RFC 3207): greeting 220, EHLO, the STARTTLS extension, STARTTLS, 220. */
final class SmtpPreamble extends Preamble {
    private static final int MAX_LINES = 100;

    private final String clientName;

    SmtpPreamble(String clientName) {
        super("smtp");
        this.clientName = clientName;
    }

    @Override
    void run(Wire wire) throws IOException {
        expect(wire, "220", "greeting");
        wire.sendLine("EHLO " + clientName);
        List<String> ehlo = expect(wire, "250", "EHLO");
        boolean offered = ehlo.stream().anyMatch(l -> l.length() > 4
                && l.substring(4).trim().toUpperCase(Locale.ROOT).startsWith("STARTTLS"));
        if (!offered) {
            throw new PreambleException("smtp: the server does not offer STARTTLS; its EHLO answer: \""
                    + Wire.quote(String.join("\\n", ehlo)) + "\"");
        }
        wire.sendLine("STARTTLS");
        expect(wire, "220", "STARTTLS");
    }

    /** A (multi-line) reply whose code must be {@code code}; its lines. */
    private static List<String> expect(Wire wire, String code, String step) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = wire.line();
            lines.add(line);
            if (line.length() < 3 || !line.startsWith(code)) {
                throw new PreambleException("smtp: " + step + " was answered with \"" + Wire.quote(line) + "\" (expected "
                        + code + ")");
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return lines;
            }
            if (lines.size() >= MAX_LINES) {
                throw new PreambleException("smtp: the " + step + " answer has more than " + MAX_LINES + " lines");
            }
        }
    }
}
