package dev.tlsupgrade.examples;

import dev.tlsupgrade.Dialer;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.preamble.Preamble;
import dev.tlsupgrade.probe.ProbeReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * {@code tlsupgrade connect HOST:PORT [options]}: the {@code openssl s_client} of this library.
 * Connects (to every address of the name, IPv6 first, the first to answer wins), runs the preamble, upgrades, prints what the handshake negotiated (with the server key's
 * SHA-256, the SubjectPublicKey CredSSP signs and the tls-server-end-point binding), then copies
 * standard input to the server and the server's data to standard output until either side closes.
 */
final class ConnectCommand {
    static final String USAGE = String.join("\n",
            "usage: connect HOST:PORT [--backend NAME] [--preamble rdp|smtp|imap|pop3|ldap|postgres|none]",
            "       [--protocols TLSv1.2,TLSv1.3] [--trust CA.pem] [--pin sha256/...] [--known-hosts FILE]",
            "       [--alpn h2,http/1.1] [--server-name NAME] [--keylog FILE] [--timeout SECONDS] [--no-io]",
            "       [--cipher-suites TLS_RSA_WITH_AES_128_GCM_SHA256,...] [--allow-legacy-certificates]",
            "       [--allow-legacy-dh-groups] [--allow-servers-without-secure-renegotiation]",
            "exit codes: 0 connected, 1 the connection or handshake failed, 2 bad arguments");

    private ConnectCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        HostPort target;
        try {
            target = HostPort.parse(args[0]);
        } catch (IllegalArgumentException e) {
            err.println("connect: " + e.getMessage());
            return 2;
        }
        dev.tlsupgrade.TlsBackend backend = null;
        Preamble preamble = Preamble.none();
        Duration timeout = Duration.ofSeconds(10);
        boolean io = true;
        TlsClientConfig.Builder config = TlsClientConfig.builder();
        List<String> pins = new ArrayList<>();
        Flags flags = new Flags("--pin");
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            try {
                flags.once(a);
            } catch (IllegalArgumentException e) {
                err.println("connect: " + e.getMessage());
                return 2;
            }
            if (a.equals("--no-io")) {
                io = false;
                continue;
            }
            // The old servers' concessions, each as named as the config call it makes (each upgrade warns).
            if (a.equals("--allow-legacy-certificates")) {
                config.allowLegacyCertificates();
                continue;
            }
            if (a.equals("--allow-legacy-dh-groups")) {
                config.allowLegacyDhGroups();
                continue;
            }
            if (a.equals("--allow-servers-without-secure-renegotiation")) {
                config.allowServersWithoutSecureRenegotiation();
                continue;
            }
            if (i + 1 >= args.length || !a.startsWith("--")) {
                err.println("connect: " + (a.startsWith("--") ? a + " needs a value" : "unexpected '" + a + "'"));
                return 2;
            }
            String value = args[++i];
            try {
                switch (a) {
                    case "--backend" -> backend = Flags.backend(value);
                    case "--preamble" -> {
                        preamble = ProbeCommand.preamble(value);
                        if (preamble == null) {
                            throw new IllegalArgumentException("unknown preamble; rdp, smtp, imap, pop3, ldap, postgres or none");
                        }
                    }
                    case "--protocols" -> {
                        List<TlsVersion> versions = new ArrayList<>();
                        for (String v : value.split(",")) {
                            versions.add(TlsVersion.fromJsseName(v.trim()).orElseThrow(() -> new IllegalArgumentException(
                                    "'" + v.trim() + "' is not TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3")));
                        }
                        config.protocols(versions.toArray(new TlsVersion[0]));
                        if (versions.stream().anyMatch(TlsVersion::isLegacy)) {
                            config.allowLegacyProtocols();
                        }
                    }
                    case "--trust" -> config.trustedCertificates(Flags.readable(a, value));
                    case "--pin" -> pins.add(value);
                    case "--known-hosts" -> config.knownHosts(Flags.writable(a, value));
                    case "--alpn" -> config.alpn(value.split(","));
                    case "--cipher-suites" -> config.cipherSuites(java.util.Arrays.stream(value.split(","))
                            .map(String::trim).toArray(String[]::new));
                    case "--server-name" -> config.serverName(value);
                    case "--keylog" -> config.keyLog(Flags.writable(a, value));
                    case "--timeout" -> timeout = Flags.seconds(a, value);
                    default -> {
                        err.println("connect: unknown option '" + a + "'");
                        return 2;
                    }
                }
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                // Flags words its refusals for the command line; the config's words get the flag in front.
                String why = String.valueOf(e.getMessage());
                err.println("connect: " + (why.startsWith(a) ? why : a + " '" + value + "': " + why));
                return 2;
            }
        }
        TlsUpgrader upgrader;
        try {
            flags.notTogether("--pin", "--known-hosts", "a pin names the server's key, known hosts record it on first "
                    + "use; give one");
            flags.notTogether("--pin", "--trust", "a pinned server is identified by its key alone, so the CA file would "
                    + "be ignored; give one");
            if (!pins.isEmpty()) {
                config.pinnedCertificates(pins.toArray(new String[0]));
            }
            config.handshakeTimeout(timeout);
            upgrader = (backend == null ? TlsBackends.defaultBackend() : backend).newUpgrader(config.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("connect: " + e.getMessage());
            return 2;
        }
        try (upgrader) {
            Socket plain;
            try {
                // Every address the name resolves to, IPv6 first (RFC 8305); the report says which one answered.
                Dialer.Connection dialed = Dialer.connect(target.host(), target.port(), timeout);
                plain = dialed.socket();
                dialed.failures().forEach((address, why) -> err.println("connect: " + address.getHostAddress() + " failed ("
                        + why.getMessage() + "), trying the next address"));
                out.println("address:       " + dialed.address());
            } catch (java.net.UnknownHostException e) {
                err.println("connect: unknown host '" + target.host() + "' (it does not resolve)");
                return 1;
            } catch (IOException e) {
                err.println("connect: " + e.getMessage());
                return 1;
            }
            try {
                preamble.negotiate(plain, timeout);
            } catch (IOException e) {
                plain.close();
                err.println("connect: " + target + ": " + e.getMessage());
                return 1;
            }
            try (SSLSocket tls = upgrader.upgrade(plain, target.host(), target.port())) {
                print(TlsHandshakeInfo.of(tls).orElseThrow(), out);
                if (io) {
                    copy(in, tls, out);
                }
                return 0;
            }
        } catch (TlsUpgradeException e) {
            err.println("connect: " + CliWords.failure(e));
            return 1;
        } catch (IOException e) {
            err.println("connect: " + target + ": " + e.getMessage());
            return 1;
        }
    }

    private static void print(TlsHandshakeInfo info, PrintStream out) {
        out.println("connected: " + info);
        out.println("version:       " + info.version().jsseName());
        out.println("cipher suite:  " + info.cipherSuite());
        out.println("SNI sent:      " + info.sniHostName().orElse("none"));
        out.println("ALPN:          " + info.applicationProtocol().orElse("none"));
        out.println("resumed:       " + (info.resumed() ? "yes" : "no"));
        out.println("handshake:     " + info.handshakeTime().toMillis() + " ms");
        info.serverPublicKeyInfo().ifPresent(spki -> out.println("server key:    sha256/" + sha256Base64(spki)));
        info.serverPublicKey().ifPresent(k -> out.println("SubjectPublicKey (CredSSP pubKeyAuth): " + k.length + " bytes, "
                + "SHA-256 " + HexFormat.of().formatHex(sha256(k))));
        info.tlsServerEndPoint().ifPresent(b -> out.println("tls-server-end-point: " + HexFormat.of().formatHex(b)));
        out.println("certificate chain:");
        int i = 0;
        for (X509Certificate c : info.peerCertificates()) {
            out.println("  " + i++ + ": " + ProbeReport.describe(c));
            try {
                out.println("     key sha256/" + sha256Base64(c.getPublicKey().getEncoded()) + ", certificate SHA-256 "
                        + HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(c.getEncoded())));
            } catch (java.security.cert.CertificateEncodingException e) {
                out.println("     (cannot encode: " + e.getMessage() + ")");
            }
        }
        out.flush();
    }

    /**
     * Standard input to the server, the server's data to standard output, until either side closes.
     * At the end of standard input (as {@code openssl s_client} does) the server gets a second to
     * answer, then the connection closes.
     */
    private static void copy(InputStream in, SSLSocket tls, PrintStream out) throws IOException, InterruptedException {
        OutputStream toServer = tls.getOutputStream();
        Thread up = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    toServer.write(buf, 0, n);
                    toServer.flush();
                }
                Thread.sleep(1000);
                tls.close();
            } catch (IOException closed) {
                // the connection ended; the reader below sees it too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tlsupgrade-connect-stdin");
        up.setDaemon(true);
        up.start();
        InputStream fromServer = tls.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = fromServer.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (java.net.SocketException closed) {
            // the server reset or the socket was closed
        }
        up.join(100);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(sha256(data));
    }
}
