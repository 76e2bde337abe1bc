package dev.tlsupgrade.examples;

import dev.tlsupgrade.preamble.Preamble;
import dev.tlsupgrade.probe.ProbeReport;
import dev.tlsupgrade.probe.TlsProbe;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tlsupgrade probe HOST:PORT [--preamble rdp|smtp|imap|pop3|ldap|postgres|none] [--trust CA.pem]
 * [--pin sha256/...] [--known-hosts FILE] [--server-name NAME] [--timeout SECONDS] [--json]}: which
 * backend and settings reach the server.
 */
final class ProbeCommand {
    static final String USAGE = String.join("\n",
            "usage: probe HOST:PORT [--preamble rdp|smtp|imap|pop3|ldap|postgres|none] [--trust CA.pem]",
            "       [--pin sha256/...] [--known-hosts FILE] [--server-name NAME] [--timeout SECONDS] [--json]",
            "exit codes: 0 a config reached the server, 1 none did, 2 bad arguments");

    private ProbeCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        HostPort target;
        try {
            target = HostPort.parse(args[0]);
        } catch (IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        }
        String host = target.host();
        int port = target.port();
        Preamble preamble = Preamble.none();
        Duration timeout = Duration.ofSeconds(10);
        boolean json = false;
        TlsProbe.Builder probe;
        try {
            probe = TlsProbe.of(host, port);
        } catch (IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        }
        List<String> pins = new ArrayList<>();
        Flags flags = new Flags("--pin");
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            try {
                flags.once(a);
            } catch (IllegalArgumentException e) {
                err.println("probe: " + e.getMessage());
                return 2;
            }
            if (a.equals("--json")) {
                json = true;
                continue;
            }
            if (!List.of("--preamble", "--trust", "--pin", "--known-hosts", "--server-name", "--timeout").contains(a)) {
                err.println("probe: unknown option '" + a + "'");
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("probe: " + a + " needs a value");
                return 2;
            }
            String value = args[++i];
            try {
                switch (a) {
                    case "--preamble" -> {
                        preamble = preamble(value);
                        if (preamble == null) {
                            err.println("probe: unknown preamble '" + value + "': rdp, smtp, imap, pop3, ldap, postgres or none");
                            return 2;
                        }
                    }
                    case "--trust" -> probe.trustedCertificates(Flags.readable(a, value));
                    case "--pin" -> pins.add(value);
                    case "--known-hosts" -> probe.knownHosts(Flags.writable(a, value));
                    case "--server-name" -> probe.serverName(value);
                    default -> timeout = Flags.seconds(a, value);
                }
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                String why = String.valueOf(e.getMessage());
                err.println("probe: " + (why.startsWith(a) ? why : a + " '" + value + "': " + why));
                return 2;
            }
        }
        try {
            flags.notTogether("--pin", "--known-hosts", "a pin names the server's key, known hosts record it on first "
                    + "use; give one");
            flags.notTogether("--pin", "--trust", "a pinned server is identified by its key alone, so the CA file would "
                    + "be ignored; give one");
        } catch (IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        }
        // A name that does not resolve is one line, not a table of attempts that all say so.
        try {
            dev.tlsupgrade.Dialer.addresses(host);
        } catch (java.io.IOException e) {
            err.println("probe: unknown host '" + host + "': it does not resolve (check the name and this machine's DNS)");
            return 1;
        }
        ProbeReport report;
        try {
            if (!pins.isEmpty()) {
                probe.pinnedCertificates(pins.toArray(new String[0]));
            }
            if (!json) {
                // One line per finished attempt, so a slow or silent server never looks like a hang.
                probe.onResult(r -> err.println("  " + r.backend() + " " + r.version()
                        + (r.conceded() ? " with " + r.concession() : "") + ": " + (r.ok() ? "ok" : r.failure())));
            }
            // A diagnostic tool: it also tries the JVM-wide opt-ins, each in a JVM of its own.
            report = probe.preamble(preamble).attemptTimeout(timeout).jvmWideOptIns().build().run();
        } catch (IllegalArgumentException e) {
            err.println("probe: " + e.getMessage());
            return 2;
        }
        // Hints in command-line words; the recommended snippet stays Java.
        out.print(json ? report.toJson() + "\n" : report.toTable().lines()
                .map(l -> l.startsWith("hint (") ? CliWords.flags(l) : l).collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        return report.recommendation().isPresent() ? 0 : 1;
    }

    static Preamble preamble(String name) {
        return Preamble.named(name, "tlsupgrade-probe.invalid").orElse(null);
    }
}
