package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.preamble.Preamble;
import dev.tlsupgrade.probe.ProbeReport;
import dev.tlsupgrade.probe.TlsProbe;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code tlsupgrade probe HOST:PORT [--preamble rdp|smtp|imap|pop3|ldap|postgres|none] [--trust CA.pem]
 * [--timeout SECONDS] [--json]}: which backend and settings reach the server.
 */
final class ProbeCommand {
    private ProbeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0) {
            err.println("probe needs HOST:PORT");
            return 2;
        }
        String target = args[0];
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            err.println("probe: '" + target + "' is not HOST:PORT (IPv6: [::1]:443)");
            return 2;
        }
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            err.println("probe: the port in '" + target + "' is not a number");
            return 2;
        }
        Preamble preamble = Preamble.none();
        TlsClientConfig.Builder config = TlsClientConfig.builder();
        Duration timeout = Duration.ofSeconds(10);
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "--json" -> json = true;
                case "--preamble" -> {
                    if (!hasValue) {
                        err.println("--preamble needs a name");
                        return 2;
                    }
                    preamble = preamble(args[++i]);
                    if (preamble == null) {
                        err.println("unknown preamble '" + args[i] + "': rdp, smtp, imap, pop3, ldap, postgres or none");
                        return 2;
                    }
                }
                case "--trust" -> {
                    if (!hasValue) {
                        err.println("--trust needs a PEM file");
                        return 2;
                    }
                    config.trustedCertificates(Path.of(args[++i]));
                }
                case "--timeout" -> {
                    if (!hasValue) {
                        err.println("--timeout needs seconds");
                        return 2;
                    }
                    timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                }
                default -> {
                    err.println("unknown option '" + a + "'");
                    return 2;
                }
            }
        }
        ProbeReport report;
        try {
            report = TlsProbe.of(host, port).preamble(preamble).config(config.build()).attemptTimeout(timeout).build().run();
        } catch (IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        }
        out.print(json ? report.toJson() + "\n" : report.toTable());
        return report.recommendation().isPresent() ? 0 : 1;
    }

    private static Preamble preamble(String name) {
        return switch (name) {
            case "rdp" -> Preamble.rdp();
            case "smtp" -> Preamble.smtp("tlsupgrade-probe.invalid");
            case "imap" -> Preamble.imap();
            case "pop3" -> Preamble.pop3();
            case "ldap" -> Preamble.ldap();
            case "postgres" -> Preamble.postgres();
            case "none" -> Preamble.none();
            default -> null;
        };
    }
}
