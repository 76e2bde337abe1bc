package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsBackends;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code tlsupgrade} command line ({@code java -jar examples/target/tlsupgrade.jar}).
 *
 * <pre>
 * tlsupgrade demo           every available backend against embedded loopback servers
 * tlsupgrade capabilities   what each backend on the class path can do, as a Markdown table
 * tlsupgrade diagnostics [BACKEND]   how a backend explains each kind of failed handshake
 * tlsupgrade probe HOST:PORT [--preamble NAME] [--trust CA.pem] [--pin P] [--timeout S] [--json]
 * tlsupgrade connect HOST:PORT [--backend NAME] [--preamble NAME] [--trust CA.pem] [--pin P] [--no-io] ...
 * </pre>
 */
public final class TlsUpgradeCli {
    private TlsUpgradeCli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.println(version());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        boolean help = Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h");
        if (help && !args[0].equals("probe") && !args[0].equals("connect")) {
            usage(out);
            return 0;
        }
        try {
            return command(args[0], rest, out, err);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A bad value (an unknown backend, say) is one line, never a stack trace.
            err.println(args[0] + ": " + e.getMessage());
            return 2;
        }
    }

    private static int command(String name, String[] rest, PrintStream out, PrintStream err) throws Exception {
        switch (name) {
            case "demo":
                if (rest.length > 0) {
                    err.println("demo takes no arguments");
                    return 2;
                }
                return new Demo(out).run();
            case "capabilities":
                out.print(CapabilityTable.markdown());
                return 0;
            case "probe":
                return ProbeCommand.run(rest, out, err);
            case "connect":
                return ConnectCommand.run(rest, System.in, out, err);
            case "diagnostics":
                if (rest.length > 1) {
                    err.println("diagnostics takes at most one argument, a backend name");
                    return 2;
                }
                out.print(DiagnosticsTour.markdown(rest.length == 0 ? TlsBackends.defaultBackend() : TlsBackends.get(rest[0])));
                return 0;
            default:
                err.println("unknown command '" + name + "'");
                usage(err);
                return 2;
        }
    }

    /** This build's version and the backends it can use here. */
    static String version() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = TlsUpgradeCli.class.getResourceAsStream("/tlsupgrade-cli.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            // reported as unknown below
        }
        return "tlsupgrade " + p.getProperty("version", "(version unknown)") + ", Java " + Runtime.version()
                + ", backends available: " + TlsBackends.available().stream().map(b -> b.name())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar tlsupgrade.jar COMMAND [--help]   (--version: this build)");
        out.println("exit codes: 0 success, 1 the server could not be reached or upgraded, 2 bad arguments");
        out.println();
        out.println("commands:");
        out.println("  demo    upgrade through every available backend to embedded loopback servers");
        out.println("          (TLS 1.3, TLS 1.2, TLS 1.0-only) and print what happened");
        out.println("  capabilities");
        out.println("          what each backend on the class path can do (Markdown table)");
        out.println("  probe HOST:PORT [--preamble rdp|smtp|imap|pop3|ldap|postgres|none] [--trust CA.pem]");
        out.println("        [--pin sha256/...] [--known-hosts FILE] [--server-name NAME] [--timeout SECONDS] [--json]");
        out.println("          try every backend and TLS version against the server and recommend a config");
        out.println("  connect HOST:PORT [--backend NAME] [--preamble NAME] [--protocols LIST] [--trust CA.pem]");
        out.println("        [--pin sha256/...] [--known-hosts FILE] [--alpn LIST] [--server-name NAME] [--keylog FILE]");
        out.println("        [--timeout SECONDS] [--no-io]");
        out.println("          connect, upgrade, print the handshake (key fingerprints, channel binding), then copy");
        out.println("          standard input and output until either side closes (like openssl s_client)");
        out.println("  diagnostics [BACKEND]");
        out.println("          provoke each kind of failed handshake against loopback peers and print");
        out.println("          what BACKEND (default: the default backend) says (Markdown table)");
    }
}
