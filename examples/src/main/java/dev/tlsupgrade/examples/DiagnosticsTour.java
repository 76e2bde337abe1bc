package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.testing.Situation;
import java.io.IOException;

/**
 * The {@code diagnostics} command: provokes every {@link Situation} against loopback peers through
 * one backend and prints, as a Markdown table, the failure kind and the exact message a user gets.
 * Loopback ports and dates are replaced by placeholders so the table is the same on every run; the
 * README's table is this output.
 */
final class DiagnosticsTour {
    private DiagnosticsTour() {
    }

    static String markdown(TlsBackend backend) throws IOException {
        StringBuilder sb = new StringBuilder("| situation | kind | what `" + backend.name() + "` says |\n|---|---|---|\n");
        for (Situation s : Situation.values()) {
            if (!s.appliesTo(backend)) {
                continue;
            }
            TlsUpgradeException e = s.provoke(backend);
            sb.append("| ").append(s.description()).append(" | ").append(e.kind()).append(" | ")
                    .append(stable(e.getMessage()).replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    /** The message with loopback ports and timestamps replaced, so that runs compare equal. */
    static String stable(String message) {
        return message.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("port \\d+", "port PORT")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z", "DATE");
    }
}
