package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.DovecotServer;
import dev.tlsupgrade.testing.LegacyTlsServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.PostfixServer;
import dev.tlsupgrade.testing.PostgresServer;
import dev.tlsupgrade.testing.TestPki;
import dev.tlsupgrade.testing.XrdpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ProbeCommandTest {
    /** {exit code, standard output, standard error} of one run. */
    private static String[] run(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        return new String[] {String.valueOf(r.code()), r.out(), r.err()};
    }

    @Test
    void aTls10OnlyServerIsReachedByTheBackendsThatCanAndTheRestSayWhy() throws Exception {
        try (LegacyTlsServer server = LegacyTlsServer.start(TlsVersion.TLS_1_0)) {
            String target = "127.0.0.1:" + server.port();
            String[] json = run("probe", target, "--trust", TestPki.get().caPem().toString(), "--json");
            assertThat(json[0]).as(json[2]).isEqualTo("0");
            assertThat(json[1]).startsWith("{\"target\":\"" + target + "\",\"preamble\":\"none\",\"results\":[")
                    .contains("{\"backend\":\"openssl\",\"version\":\"TLSv1\",\"ok\":true,\"cipher\":\"TLS_ECDHE_RSA_WITH_AES_")
                    .contains("{\"backend\":\"bctls\",\"version\":\"TLSv1\",\"ok\":true")
                    .contains("{\"backend\":\"jsse\",\"version\":\"TLSv1.3\",\"ok\":false,\"cipher\":null,\"handshakeMillis\":null,"
                            + "\"failure\":\"PROTOCOL_VERSION\"")
                    .contains("{\"backend\":\"jsse\",\"version\":\"TLSv1\",\"ok\":false,\"cipher\":null,\"handshakeMillis\":null,"
                            + "\"failure\":\"not tried: needs the JVM-wide opt-in JsseBackend.enableLegacyProtocolsGlobally()\"")
                    .contains("\"recommendation\":{\"backend\":\"openssl\",\"versions\":[\"TLSv1\"],\"snippet\":")
                    .contains("\"chain\":[{\"subject\":\"CN=localhost\",\"issuer\":\"CN=tlsupgrade Test Intermediate CA\"")
                    .contains("\"key\":\"" + CliWords.pin(TestPki.get().good().certificate()) + "\"")
                    .contains("\"certificateSha256\":\"");
            String[] table = run("probe", target, "--trust", TestPki.get().caPem().toString());
            assertThat(table[1]).contains("server certificate chain", "0: CN=localhost issued by CN=tlsupgrade Test Intermediate CA",
                    "recommended:", "TlsBackends.get(\"openssl\")", ".protocols(TlsVersion.TLS_1_0)", ".allowLegacyProtocols()");
        }
    }

    /**
     * Against a server of every version, the rows of backends that send the fallback signal say
     * "newer" where the server refused an older attempt, with no hint: the newer attempt worked.
     */
    @Test
    void aRefusedFallbackReadsAsNewerNotAsNo() throws Exception {
        try (dev.tlsupgrade.testing.OpenSslServer server = dev.tlsupgrade.testing.OpenSslServer.builder().everyVersion()
                .start()) {
            String[] r = run("probe", "localhost:" + server.port(), "--trust", TestPki.get().caPem().toString());
            assertThat(r[0]).isEqualTo("0");
            assertThat(r[1].lines().filter(l -> l.startsWith("openssl    TLSv1.2") || l.startsWith("bctls      TLSv1.2")))
                    .hasSize(2).allMatch(l -> l.contains(" newer ") && l.contains("supports a newer version"));
            assertThat(r[1]).doesNotContain("failed for another reason");
        }
    }

    @Test
    void nothingListeningIsSaidSo() throws Exception {
        int port = Loopback.freePort(Loopback.v4());
        String[] r = run("probe", "127.0.0.1:" + port);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("connection refused: nothing listens on 127.0.0.1:" + port)
                .contains("no backend reached the server");
    }

    @Test
    void aRealPostgresqlIsProbedBehindItsSslRequest() throws Exception {
        try (PostgresServer server = PostgresServer.start(TlsVersion.TLS_1_2)) {
            String[] r = run("probe", "127.0.0.1:" + server.port(), "--preamble", "postgres", "--trust",
                    TestPki.get().caPem().toString());
            assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
            assertThat(r[1]).contains("(preamble: postgres)").containsPattern("jsse +TLSv1\\.2 +yes +TLS_")
                    .contains("Preamble.postgres().negotiate(socket, Duration.ofSeconds(10));", ".protocols(TlsVersion.TLS_1_2)");
        }
    }

    @Test
    void aRealRdpServerOnTls10IsProbedBehindItsX224Negotiation() throws Exception {
        try (XrdpServer server = XrdpServer.tls(TlsVersion.TLS_1_0)) {
            String[] r = run("probe", "127.0.0.1:" + server.port(), "--preamble", "rdp", "--trust",
                    TestPki.get().caPem().toString());
            assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
            assertThat(r[1]).contains("(preamble: rdp)").containsPattern("openssl +TLSv1 +yes +TLS_")
                    .containsPattern("jsse +TLSv1\\.2 +no +PROTOCOL_VERSION")
                    .contains("Preamble.rdp().negotiate(socket, Duration.ofSeconds(10));", ".protocols(TlsVersion.TLS_1_0)",
                            ".allowLegacyProtocols()");
        }
    }

    @Test
    void aRealSmtpServerOnTls13IsProbedBehindStartTls() throws Exception {
        try (PostfixServer server = PostfixServer.start(TlsVersion.TLS_1_3)) {
            String[] r = run("probe", "127.0.0.1:" + server.port(), "--preamble", "smtp", "--trust",
                    TestPki.get().caPem().toString());
            assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
            assertThat(r[1]).contains("(preamble: smtp)").containsPattern("jsse +TLSv1\\.3 +yes +TLS_")
                    .containsPattern("openssl +TLSv1\\.2 +no +PROTOCOL_VERSION")
                    .contains("Preamble.smtp(", ".protocols(TlsVersion.TLS_1_3)");
        }
    }

    @Test
    void aRealImapServerOnTls10IsProbedBehindStartTls() throws Exception {
        try (DovecotServer server = DovecotServer.start(TlsVersion.TLS_1_0)) {
            String[] r = run("probe", "127.0.0.1:" + server.port(), "--preamble", "imap", "--trust",
                    TestPki.get().caPem().toString(), "--json");
            assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
            assertThat(r[1]).contains("\"preamble\":\"imap\"")
                    .contains("{\"backend\":\"openssl\",\"version\":\"TLSv1\",\"ok\":true")
                    // dovecot (OpenSSL) closes on JSSE's TLS 1.2 ClientHello without an alert: the field's "remote host
                    // terminated the handshake", explained by the hint
                    .contains("{\"backend\":\"jsse\",\"version\":\"TLSv1.2\",\"ok\":false,\"cipher\":null,\"handshakeMillis\":null,"
                            + "\"failure\":\"PEER_CLOSED\",\"hint\":\"jsse's ClientHello carries the supported_versions "
                            + "extension even without TLS 1.3")
                    .contains("old servers (Windows Server 2012, devices, old brokers) do this when they speak only TLS 1.0/1.1")
                    .contains("Preamble.imap().negotiate(socket, Duration.ofSeconds(10));");
        }
    }

    /**
     * The RDP field case: a self-signed TLS-1.0-only host and no trust given. The probe says TLS was
     * reached and only trust failed, prints the key's fingerprint, and recommends a pin; the printed
     * snippet, pasted into a class, compiles and connects.
     */
    @Test
    void aSelfSignedRdpHostIsReachedAndPinnedNotTrustedBlindly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.tlsupgrade.testing.Identity self = dev.tlsupgrade.testing.TestCertificate.builder("CN=WIN2012-RDP").selfSigned()
                .rsa(2048).signatureAlgorithm("SHA1withRSA").build("probe-rdp");
        String key = "sha256/" + java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(self.certificate().getPublicKey().getEncoded()));
        try (XrdpServer server = XrdpServer.tls(TlsVersion.TLS_1_0, self)) {
            String[] r = run("probe", "127.0.0.1:" + server.port(), "--preamble", "rdp");
            assertThat(r[0]).as(r[2]).isEqualTo("0");
            assertThat(r[1]).contains("reached; certificate not trusted:", "self-signed",
                    "NOT trusted: compare these fingerprints", "key " + key, "recommended:",
                    ".pinnedCertificates(\"" + key + "\")", "Preamble.rdp().negotiate(socket")
                    .doesNotContain("insecureTrustAllCertificates");
            String snippet = r[1].substring(r[1].indexOf("recommended:") + "recommended:".length(), r[1].indexOf("SSLSocket tls"))
                    + r[1].substring(r[1].indexOf("SSLSocket tls")).lines().findFirst().orElseThrow();
            assertThat(PastedSnippet.run(snippet.stripIndent(), "127.0.0.1", server.port(), dir)).isEqualTo("TLSv1");
        }
    }

    /**
     * A server no single version reaches: the probe climbs its ladder and recommends the smallest
     * concession that worked, a pinned static-RSA suite at TLS 1.2 rather than a legacy version, and
     * the printed snippet compiles and connects.
     */
    @Test
    void aStaticRsaServerGetsAPinnedSuiteNotALegacyVersion(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (dev.tlsupgrade.testing.LegacyZoo.ZooServer server = dev.tlsupgrade.testing.LegacyZoo.STATIC_RSA_ONLY.start(dir)) {
            String recommended = climbedTo(server.port(), ".cipherSuites(\"TLS_RSA_WITH_", dir);
            assertThat(recommended).doesNotContain("allowLegacyProtocols");
        }
    }

    /** An ECDSA server signing with SHA-1 only has no static-RSA or DHE way round it: the version range is the rung. */
    @Test
    void aSha1SigningEcdsaServerGetsTheVersionRange(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.tlsupgrade.testing.Identity ecdsa = dev.tlsupgrade.testing.TestCertificate.builder("CN=localhost")
                .dns("localhost").build("probe-ecdsa-sha1");
        try (dev.tlsupgrade.testing.OpenSslServer server = dev.tlsupgrade.testing.OpenSslServer.builder().identity(ecdsa)
                .version(TlsVersion.TLS_1_2).sigalgs("ECDSA+SHA1").start()) {
            climbedTo(server.port(), ".protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2)", dir);
        }
    }

    /** Probes localhost:{@code port}, checks the recommendation holds {@code concession}, pastes and runs its snippet. */
    private static String climbedTo(int port, String concession, java.nio.file.Path dir) throws Exception {
        String[] r = run("probe", "localhost:" + port, "--trust", TestPki.get().caPem().toString(), "--timeout", "4");
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        String recommended = r[1].substring(r[1].indexOf("recommended:"));
        assertThat(recommended).contains(concession);
        assertThat(r[2]).as("progress names each concession").contains(" with .");
        String snippet = recommended.substring("recommended:".length(), recommended.indexOf("SSLSocket tls"))
                + recommended.substring(recommended.indexOf("SSLSocket tls")).lines().findFirst().orElseThrow();
        assertThat(PastedSnippet.run(snippet.stripIndent(), "localhost", port, dir)).isEqualTo("TLSv1.2");
        return recommended;
    }

    /** Curl tried both of localhost's addresses where the Java client tried one: the probe tries each and says which. */
    @Test
    void everyAddressIsProbedAndEachRowSaysWhichAddress() throws Exception {
        try (dev.tlsupgrade.testing.JsseTestServer server = dev.tlsupgrade.testing.JsseTestServer.builder().start()) {
            dev.tlsupgrade.probe.ProbeReport report = dev.tlsupgrade.probe.TlsProbe.of("localhost", server.port())
                    .addresses(java.net.InetAddress.getByName("::1"), java.net.InetAddress.getByName("127.0.0.1"))
                    .trustedCertificates(TestPki.get().caPem()).attemptTimeout(java.time.Duration.ofSeconds(5)).build().run();
            assertThat(report.results()).filteredOn(r -> "127.0.0.1".equals(r.address()))
                    .anyMatch(dev.tlsupgrade.probe.ProbeResult::ok);
            assertThat(report.results()).filteredOn(r -> "0:0:0:0:0:0:0:1".equals(r.address()) && !r.failure()
                    .startsWith("not tried")).isNotEmpty().noneMatch(dev.tlsupgrade.probe.ProbeResult::ok);
            assertThat(report.toTable()).contains("address ", "127.0.0.1 ", "0:0:0:0:0:0:0:1 ");
            assertThat(report.recommendation().orElseThrow().address()).isEqualTo("127.0.0.1");
        }
    }

    /**
     * Attempts below a backend's newest version carry the fallback signal where the backend can send
     * it; a server that supports TLS 1.3 refuses them with inappropriate_fallback, and the row says so.
     */
    @Test
    void fallbackAttemptsAreRefusedByAServerThatCanDoBetter() throws Exception {
        try (dev.tlsupgrade.testing.OpenSslServer server = dev.tlsupgrade.testing.OpenSslServer.builder().start()) {
            dev.tlsupgrade.probe.ProbeReport report = dev.tlsupgrade.probe.TlsProbe.of("localhost", server.port())
                    .trustedCertificates(TestPki.get().caPem()).attemptTimeout(java.time.Duration.ofSeconds(5)).build().run();
            for (dev.tlsupgrade.probe.ProbeResult r : report.results()) {
                boolean signals = dev.tlsupgrade.TlsBackends.get(r.backend()).capabilities()
                        .has(dev.tlsupgrade.TlsFeature.FALLBACK_SCSV);
                if (r.version().equals("TLSv1.3")) {
                    assertThat(r.ok()).as(r.toString()).isTrue();
                } else if (r.version().equals("TLSv1.2")) {
                    if (signals) {
                        assertThat(r.failure()).as(r.toString()).contains("supports a newer version", "inappropriate_fallback");
                    } else {
                        assertThat(r.ok()).as(r.toString() + ": jsse cannot signal a fallback, so the server accepts it")
                                .isTrue();
                    }
                }
            }
            assertThat(report.recommendation().orElseThrow().version()).isEqualTo("TLSv1.3");
        }
    }

    /**
     * A middlebox that drops every ClientHello offering TLS 1.2 or newer cannot steer the probe into
     * recommending TLS 1.0: the older attempts carry the fallback signal and the server, which can
     * do TLS 1.3, refuses them.
     */
    @Test
    void interferenceWithNewerAttemptsEarnsNoLegacyAdvice() throws Exception {
        try (dev.tlsupgrade.testing.OpenSslServer server = dev.tlsupgrade.testing.OpenSslServer.builder().everyVersion().start();
                OldHellosOnly middlebox = new OldHellosOnly(server.port())) {
            dev.tlsupgrade.probe.ProbeReport report = dev.tlsupgrade.probe.TlsProbe.of("localhost", middlebox.port())
                    .trustedCertificates(TestPki.get().caPem()).attemptTimeout(java.time.Duration.ofSeconds(5)).build().run();
            assertThat(report.results()).filteredOn(r -> r.version().equals("TLSv1") || r.version().equals("TLSv1.1"))
                    .filteredOn(r -> !r.failure().startsWith("not tried")).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.failure()).as(r.toString()).contains("supports a newer version"));
            assertThat(report.results()).noneMatch(dev.tlsupgrade.probe.ProbeResult::ok);
            assertThat(report.recommendation()).isEmpty();
            assertThat(report.toTable()).doesNotContain("allowLegacyProtocols").contains("do not fall back to an older version");
        }
    }

    /** Forwards connections whose ClientHello offers at most TLS 1.1 and resets the others, as a broken middlebox would. */
    private static final class OldHellosOnly implements AutoCloseable {
        private final java.net.ServerSocket listener = new java.net.ServerSocket(0, 50, Loopback.v4());

        OldHellosOnly(int target) throws java.io.IOException {
            Thread t = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        java.net.Socket client = listener.accept();
                        Thread c = new Thread(() -> serve(client, target), "old-hellos-only");
                        c.setDaemon(true);
                        c.start();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "old-hellos-only-accept");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void serve(java.net.Socket client, int target) {
            try (client) {
                java.io.DataInputStream in = new java.io.DataInputStream(client.getInputStream());
                byte[] header = new byte[5];
                in.readFully(header);
                byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
                in.readFully(body);
                // ClientHello: type(1) length(3) legacy_version(2); TLS 1.3 hellos say 0x0303 there too.
                int offered = body.length > 6 ? ((body[4] & 0xff) << 8) | (body[5] & 0xff) : 0;
                if (offered > 0x0302) {
                    client.setSoLinger(true, 0);
                    return;
                }
                try (java.net.Socket server = Loopback.connect(Loopback.v4(), target)) {
                    server.getOutputStream().write(header);
                    server.getOutputStream().write(body);
                    Thread up = new Thread(() -> {
                        try {
                            client.getInputStream().transferTo(server.getOutputStream());
                        } catch (java.io.IOException ignored) {
                            // either side closed
                        }
                    });
                    up.setDaemon(true);
                    up.start();
                    server.getInputStream().transferTo(client.getOutputStream());
                }
            } catch (java.io.IOException ignored) {
                // the attempt is over
            }
        }

        @Override
        public void close() throws java.io.IOException {
            listener.close();
        }
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        assertThat(run("probe")[0]).isEqualTo("2");
        assertThat(run("probe", "localhost")[2]).contains("not HOST:PORT");
        assertThat(run("probe", "https://x:443")[2]).contains("URL");
        assertThat(run("probe", "localhost:1", "--preamble", "gopher")[2]).contains("unknown preamble 'gopher'");
        String[] help = run("probe", "--help");
        assertThat(help[0]).isEqualTo("0");
        assertThat(help[1]).contains("usage: probe HOST:PORT", "exit codes:");
        for (String[] args : new String[][] {
                {"probe", "localhost:1", "--trust", "/no/such/ca.pem"},
                {"probe", "localhost:1", "--timeout", "abc"},
                {"probe", "localhost:1", "--pin", "sha256/short"},
                {"probe", "localhost:1", "--server-name", "https://x/"},
                {"probe", "localhost:1", "--timeout"}}) {
            String[] r = run(args);
            assertThat(r[0]).as(String.join(" ", args)).isEqualTo("2");
            assertThat(r[2].strip()).as(String.join(" ", args)).startsWith("probe: ").doesNotContain("\n\tat ")
                    .doesNotContain("Exception");
        }
        assertThat(run("--version")[1]).startsWith("tlsupgrade 0.1.0").contains("backends available: ");
        String[] unknownBackend = run("diagnostics", "nosuch");
        assertThat(unknownBackend[0]).isEqualTo("2");
        assertThat(unknownBackend[2].strip()).startsWith("diagnostics: ").contains("nosuch").doesNotContain("\n\tat ");
        for (String command : new String[] {"demo", "capabilities", "diagnostics"}) {
            String[] h = run(command, "--help");
            assertThat(h[0]).as(command).isEqualTo("0");
            assertThat(h[1]).as(command).contains("usage:", "exit codes:");
        }
    }

    @Test
    void anUnknownHostIsOneLineNotATableOfAttempts() throws Exception {
        String[] r = run("probe", "nosuchhost.invalid:443", "--timeout", "2");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).as("nothing on standard output").isEmpty();
        assertThat(r[2].strip()).isEqualTo("probe: unknown host 'nosuchhost.invalid': it does not resolve (check the "
                + "name and this machine's DNS)");
        String[] twice = run("probe", "localhost:1", "--trust", "/no/such/ca.pem");
        assertThat(twice[0]).isEqualTo("2");
        assertThat(twice[2].strip()).isEqualTo("probe: --trust /no/such/ca.pem: no such file");
        assertThat(run("probe", "localhost:1", "--timeout", "0")[2]).contains("--timeout must be at least 1 second");
        assertThat(run("probe", "localhost:1", "--json", "--json")[2]).contains("--json was given twice");
    }
}
