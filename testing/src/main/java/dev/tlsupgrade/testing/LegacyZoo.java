package dev.tlsupgrade.testing;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.preamble.Preamble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The legacy servers users really meet, on loopback: real {@code openssl s_server} configurations
 * and, for misbehaviours no server shows by configuration, a {@link HelloGate} in front of one. Each
 * behaviour says, per backend, what a user must concede to reach it, or which named cause refuses
 * it; {@code LegacyZooContract} proves every cell and a README test renders the matrix.
 */
public enum LegacyZoo {
    RDP_2008R2("Windows 2008 R2 RDP: TLS 1.0, its self-signed SHA-1 RDP certificate (keyUsage without "
            + "digitalSignature), ECDHE preferred") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(OpenSslServer.builder().identity(rdpCertificate("SHA1withRSA")).version(TlsVersion.TLS_1_0)
                    .cipher(SCHANNEL_2008_SUITES).serverPreference().start());
        }

        @Override
        Map<String, Cell> cells() {
            Cell keyUsageWaived = Cell.reached(".knownHosts(file).protocols(TLS_1_0).allowLegacyProtocols()", TLS_1_0_ONLY);
            // BoringSSL checks the key usage itself: only static RSA, which needs keyEncipherment alone, gets through.
            Cell staticRsa = Cell.reached(".knownHosts(file).protocols(TLS_1_0).allowLegacyProtocols()"
                    + ".cipherSuites(TLS_RSA_WITH_AES_128_CBC_SHA)", b -> TLS_1_0_ONLY.apply(b)
                            .cipherSuites("TLS_RSA_WITH_AES_128_CBC_SHA"));
            return Map.of("jsse", keyUsageWaived.afterOptIn(), "openssl", staticRsa, "conscrypt", staticRsa.afterOptIn(),
                    "bctls", keyUsageWaived);
        }
    },
    RDP_2016("Windows 2016/2019 RDP: TLS 1.2, its self-signed RDP certificate (keyUsage without digitalSignature), "
            + "ECDHE preferred") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(OpenSslServer.builder().identity(rdpCertificate("SHA256withRSA"))
                    .versions(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2).cipher(SCHANNEL_2016_SUITES).serverPreference()
                    .start());
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> staticRsa = b -> b.cipherSuites("TLS_RSA_WITH_AES_128_GCM_SHA256");
            return Map.of(
                    "jsse", Cell.reached(".knownHosts(file)", UnaryOperator.identity()),
                    "openssl", Cell.reached(".knownHosts(file).cipherSuites(TLS_RSA_WITH_AES_128_GCM_SHA256)", staticRsa),
                    "conscrypt", Cell.reached(".knownHosts(file).cipherSuites(TLS_RSA_WITH_AES_128_GCM_SHA256)", staticRsa),
                    "bctls", Cell.reached(".knownHosts(file)", UnaryOperator.identity()));
        }
    },
    RDP_XRDP("a real RDP server (xrdp, X.224 negotiation first) at TLS 1.2 with the Windows RDP certificate") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            try {
                XrdpServer server = XrdpServer.tls(TlsVersion.TLS_1_2, rdpCertificate("SHA256withRSA"));
                return new ZooServer(server.port(), ZooServer.Talk.NOTHING, Preamble.rdp(), server);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting xrdp", e);
            }
        }

        @Override
        Map<String, Cell> cells() {
            return RDP_2016.cells();
        }
    },
    STATIC_RSA_ONLY("TLS 1.0-1.2 with static-RSA CBC suites only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(OpenSslServer.builder().identity(rsaLeaf()).versions(TlsVersion.TLS_1_0, TlsVersion.TLS_1_2)
                    .cipher("AES128-SHA:AES256-SHA:@SECLEVEL=0").start());
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".cipherSuites(TLS_RSA_WITH_AES_128_CBC_SHA)",
                    b -> b.cipherSuites("TLS_RSA_WITH_AES_128_CBC_SHA"));
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    TLS_1_1_ONLY("TLS 1.1 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(OpenSslServer.builder().version(TlsVersion.TLS_1_1).start());
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.protocols(TlsVersion.TLS_1_1).allowLegacyProtocols();
            Cell c = Cell.reached(".protocols(TLS_1_1).allowLegacyProtocols()", v);
            return Map.of("jsse", c.afterOptIn(), "openssl", c, "conscrypt", c.afterOptIn(), "bctls", c);
        }
    },
    SHA1_SIGNATURES("TLS 1.2 signing its key exchange with SHA-1 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(OpenSslServer.builder().identity(rsaLeaf()).version(TlsVersion.TLS_1_2).sigalgs("RSA+SHA1")
                    .start());
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1,
                    TlsVersion.TLS_1_2).allowLegacyProtocols();
            String text = ".protocols(TLS_1_0, TLS_1_1, TLS_1_2).allowLegacyProtocols()";
            Cell c = Cell.reached(text, v);
            return Map.of("jsse", c.afterOptIn(), "openssl", c, "conscrypt", c.afterOptIn(), "bctls", c);
        }
    },
    RSA_1024_SHA1_APPLIANCE("an appliance: TLS 1.2, a CA-issued RSA-1024 certificate signed with SHA-1") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            Identity weak = TestCertificate.builder("CN=localhost").dns("localhost").rsa(1024)
                    .signatureAlgorithm("SHA1withRSA").build("appliance-rsa1024-sha1");
            return ZooServer.of(OpenSslServer.builder().identity(weak).version(TlsVersion.TLS_1_2).start());
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".allowLegacyCertificates()", TlsClientConfig.Builder::allowLegacyCertificates);
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    TLS_1_3_INTOLERANT("TLS 1.2 that hangs up on a ClientHello offering TLS 1.3") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_2).start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.supportedVersions().contains(0x0304)
                    ? HelloGate.Answer.CLOSE : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".protocols(TLS_1_2)", b -> b.protocols(TlsVersion.TLS_1_2));
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    EXTENSION_INTOLERANT("TLS 1.2 that hangs up on a ClientHello carrying any TLS 1.3 extension (supported_versions, "
            + "key_share, ...), as servers of the TLS 1.3 rollout did") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_2).start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.extensionTypes().stream()
                    .anyMatch(t -> t >= 41 && t <= 51) ? HelloGate.Answer.CLOSE : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.protocols(TlsVersion.TLS_1_2);
            Cell c = Cell.reached(".protocols(TLS_1_2)", v);
            return Map.of("jsse", Cell.refused(FailureKind.PEER_CLOSED, "JSSE sends supported_versions even at TLS 1.2",
                            v, "supported_versions"), "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    VERSION_INTOLERANT("TLS 1.0 that hangs up on a ClientHello for a newer version or with supported_versions") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.legacyVersion() > 0x0301
                    || h.extensionTypes().contains(43) ? HelloGate.Answer.CLOSE : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".protocols(TLS_1_0).allowLegacyProtocols()", TLS_1_0_ONLY);
            return Map.of("jsse", Cell.refused(FailureKind.PEER_CLOSED, "JSSE sends supported_versions even then",
                            TLS_1_0_ONLY, "closed", "supported_versions").afterOptIn(),
                    "openssl", c, "conscrypt", c.afterOptIn(), "bctls", c);
        }
    },
    VERSION_INTOLERANT_ALERT("TLS 1.0 that answers a ClientHello for a newer version with handshake_failure") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().version(TlsVersion.TLS_1_0).start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.legacyVersion() > 0x0301
                    || h.extensionTypes().contains(43) ? HelloGate.Answer.ALERT_HANDSHAKE_FAILURE : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".protocols(TLS_1_0).allowLegacyProtocols()", TLS_1_0_ONLY);
            return Map.of("jsse", Cell.refused(FailureKind.NO_SHARED_CIPHER, "JSSE sends supported_versions even then",
                            TLS_1_0_ONLY, "handshake_failure", "supported_versions").afterOptIn(),
                    "openssl", c, "conscrypt", c.afterOptIn(), "bctls", c);
        }
    },
    CLIENT_HELLO_SIZE("a front that swallows ClientHellos of 256-511 bytes (the F5 bug), before a modern server") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().everyVersion().start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.recordLength() >= 256 && h.recordLength() < 512
                    ? HelloGate.Answer.SILENT : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached("(defaults)", UnaryOperator.identity());
            return Map.of("jsse", Cell.refused(FailureKind.TIMEOUT,
                    "its hello is 256-511 bytes and JSSE cannot pad it", UnaryOperator.identity(), "ClientHello was",
                    "256 to 511 bytes"),
                    "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    DHE_1024("TLS 1.2 with DHE suites only, on a 1024-bit group") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            Path params = dir.resolve("dh1024.pem");
            Files.writeString(params, OAKLEY_GROUP_2_PEM, StandardCharsets.US_ASCII);
            return ZooServer.of(OpenSslServer.builder().identity(rsaLeaf()).version(TlsVersion.TLS_1_2)
                    .cipher("DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-SHA:@SECLEVEL=0").dhParams(params).start());
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.cipherSuites("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")
                    .allowLegacyDhGroups();
            String text = ".cipherSuites(TLS_DHE_RSA_WITH_AES_128_GCM_SHA256).allowLegacyDhGroups()";
            return Map.of(
                    "jsse", Cell.reached(text, v),
                    "openssl", Cell.cannot("BoringSSL has no DHE suites", "no DHE suites at all", v),
                    "conscrypt", Cell.cannot("BoringSSL has no DHE suites", "no DHE suites at all", v),
                    "bctls", Cell.reached(text, v));
        }
    },
    GNUTLS_TLS_1_0("gnutls-serv speaking TLS 1.0 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.echoing(LegacyServers.gnutls(TestPki.get().good(), "NORMAL:-VERS-ALL:+VERS-TLS1.0", dir));
        }

        @Override
        Map<String, Cell> cells() {
            return tls10Only();
        }
    },
    THREE_DES_ONLY("gnutls-serv, TLS 1.0-1.2 with 3DES only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.echoing(LegacyServers.gnutls(rsaLeaf(), "NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+3DES-CBC:+RSA:"
                    + "+SHA1:+COMP-NULL:+SIGN-ALL:+CTYPE-X509", dir));
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.cipherSuites("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
            String text = ".cipherSuites(TLS_RSA_WITH_3DES_EDE_CBC_SHA)";
            return Map.of(
                    "jsse", Cell.cannot("the JDK disables 3DES JVM-wide", "does not have them", v),
                    "openssl", Cell.cannot("tcnative's BoringSSL has no 3DES suites", "does not have them", v),
                    "conscrypt", Cell.cannot("Conscrypt has no 3DES suites", "does not have them", v),
                    "bctls", Cell.reached(text, v));
        }
    },
    RC4_ONLY("gnutls-serv, TLS 1.0-1.2 with RC4 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.echoing(LegacyServers.gnutls(rsaLeaf(), "NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+ARCFOUR-128:+RSA:"
                    + "+ECDHE-RSA:+CURVE-ALL:+SHA1:+COMP-NULL:+SIGN-ALL:+CTYPE-X509", dir));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.refused(FailureKind.NO_SHARED_CIPHER, "RC4, which no backend has", UnaryOperator.identity(),
                    "RC4");
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    NO_SECURE_RENEGOTIATION("gnutls-serv, TLS 1.2 without secure renegotiation (RFC 5746)") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.echoing(LegacyServers.gnutls(TestPki.get().good(), "NORMAL:-VERS-ALL:+VERS-TLS1.2:"
                    + "%DISABLE_SAFE_RENEGOTIATION", dir));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.reached(".allowServersWithoutSecureRenegotiation()",
                    TlsClientConfig.Builder::allowServersWithoutSecureRenegotiation);
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    },
    STUNNEL_TLS_1_0("stunnel4 speaking TLS 1.0 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.echoing(LegacyServers.stunnel(TestPki.get().good(), TlsVersion.TLS_1_0, dir));
        }

        @Override
        Map<String, Cell> cells() {
            return tls10Only();
        }
    },
    NGINX_TLS_1_0("nginx speaking TLS 1.0 only (ssl_protocols TLSv1)") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            PortProcess server = LegacyServers.nginx(TestPki.get().good(), TlsVersion.TLS_1_0, dir);
            return new ZooServer(server.port(), ZooServer.Talk.HTTP, server);
        }

        @Override
        Map<String, Cell> cells() {
            return tls10Only();
        }
    },
    DOWNGRADE_MIDDLEBOX("a middlebox that drops ClientHellos offering TLS 1.2 or newer, before a modern server") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            OpenSslServer server = OpenSslServer.builder().everyVersion().start();
            return ZooServer.of(server, new HelloGate(server.port(), h -> h.newestVersion() > 0x0302
                    ? HelloGate.Answer.CLOSE : HelloGate.Answer.FORWARD));
        }

        @Override
        Map<String, Cell> cells() {
            UnaryOperator<TlsClientConfig.Builder> v = b -> b.protocols(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1)
                    .allowLegacyProtocols().fallbackSignal();
            Cell refused = Cell.refused(FailureKind.ALERT, "the server refuses the fallback (RFC 7507), never a "
                    + "legacy session", v, "inappropriate_fallback");
            return Map.of(
                    "jsse", Cell.cannot("TLS 1.0 needs the JVM-wide opt-in, and JSSE cannot send the fallback signal",
                            "cannot offer", v),
                    "openssl", refused,
                    "conscrypt", Cell.cannot("TLS 1.0 needs the JVM-wide opt-in, and Conscrypt does not send the "
                            + "fallback signal", "cannot offer", v),
                    "bctls", refused);
        }
    },
    SSL_3_ONLY("SSL 3.0 only") {
        @Override
        public ZooServer start(Path dir) throws IOException {
            return ZooServer.of(new HelloGate(0, h -> HelloGate.Answer.SSL3_SERVER_HELLO));
        }

        @Override
        Map<String, Cell> cells() {
            Cell c = Cell.refused(FailureKind.PROTOCOL_VERSION, "SSL 3.0, which no backend speaks",
                    UnaryOperator.identity(), "SSL 3.0", "no setting reaches it");
            return Map.of("jsse", c, "openssl", c, "conscrypt", c, "bctls", c);
        }
    };

    /** A real server speaking TLS 1.0 only, tolerant of newer hellos: every backend that speaks TLS 1.0 reaches it. */
    private static Map<String, Cell> tls10Only() {
        Cell c = Cell.reached(".protocols(TLS_1_0).allowLegacyProtocols()", TLS_1_0_ONLY);
        return Map.of("jsse", c.afterOptIn(), "openssl", c, "conscrypt", c.afterOptIn(), "bctls", c);
    }

    /** SChannel's order on Windows 2008 R2 for TLS 1.0, as OpenSSL names it. */
    static final String SCHANNEL_2008_SUITES = "ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA:"
            + "DES-CBC3-SHA:@SECLEVEL=0";
    /** SChannel's order on Windows 2016 for RSA certificates, as OpenSSL names it. */
    static final String SCHANNEL_2016_SUITES = "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:"
            + "AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA:@SECLEVEL=0";

    private static final UnaryOperator<TlsClientConfig.Builder> TLS_1_0_ONLY =
            b -> b.protocols(TlsVersion.TLS_1_0).allowLegacyProtocols();

    private final String title;

    LegacyZoo(String title) {
        this.title = title;
    }

    /** What this server is, in a README row. */
    public String title() {
        return title;
    }

    /** Whether the client identifies this server by its key (a self-signed RDP host), not by a CA. */
    public boolean selfSigned() {
        return this == RDP_2008R2 || this == RDP_2016 || this == RDP_XRDP;
    }

    /** The backends a cell exists for, in the README's column order. */
    public static final List<String> BACKENDS = List.of("jsse", "openssl", "conscrypt", "bctls");

    /**
     * The matrix in Markdown: a row per server, a column per backend, each cell the config that reaches
     * the server from the default config (✓), the cause that refuses it (✗), or why the backend cannot
     * (—). {@code LegacyZooContract} proves each cell on its backend; the README shows this text.
     */
    public static String markdown() {
        StringBuilder sb = new StringBuilder("| server |");
        BACKENDS.forEach(b -> sb.append(' ').append(b).append(" |"));
        sb.append("\n|---|").append("---|".repeat(BACKENDS.size())).append('\n');
        for (LegacyZoo zoo : values()) {
            sb.append("| ").append(zoo.title).append(" |");
            for (String backend : BACKENDS) {
                Cell c = zoo.cell(backend);
                String after = c.needsOptIn() ? " after the JVM-wide opt-in:" : "";
                sb.append(' ').append(switch (c.outcome()) {
                    case REACHED -> "✓" + after + " `" + c.text() + "`";
                    case REFUSED -> "✗" + after + " " + c.text() + ": " + c.why;
                    case CANNOT -> "— " + c.why;
                }).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Starts the server (and its front); {@code dir} holds any file it needs. */
    public abstract ZooServer start(Path dir) throws IOException;

    /** The expected outcome per backend name. */
    abstract Map<String, Cell> cells();

    /** The expected outcome on {@code backend}. */
    public Cell cell(String backend) {
        Cell c = cells().get(backend);
        if (c == null) {
            throw new IllegalArgumentException("no expectation for backend " + backend + " on " + this);
        }
        return c;
    }

    /** A running zoo server: the port to connect to, and what to stop. */
    public static final class ZooServer implements AutoCloseable {
        /** What the server does with the data a client sends after the handshake. */
        public enum Talk {
            /** Answers each line reversed ({@code openssl s_server -rev}). */
            REVERSES_LINES,
            /** Sends back what it receives. */
            ECHOES,
            /** Answers an HTTP request with {@link LegacyServers#NGINX_BODY}. */
            HTTP,
            /** Says nothing until the client speaks its protocol (RDP's CredSSP): the handshake is the proof. */
            NOTHING;

            /** Sends a line (or an HTTP request) over {@code tls} and checks the server's answer. */
            public void assertDataCrosses(javax.net.ssl.SSLSocket tls) throws IOException {
                if (this == NOTHING) {
                    org.assertj.core.api.Assertions.assertThat(tls.getSession().isValid()).isTrue();
                    return;
                }
                java.io.OutputStream out = tls.getOutputStream();
                out.write((this == HTTP ? "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n" : "legacy zoo\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (this == HTTP) {
                    String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    org.assertj.core.api.Assertions.assertThat(answer).startsWith("HTTP/1.1 200")
                            .contains(LegacyServers.NGINX_BODY);
                    return;
                }
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        tls.getInputStream(), StandardCharsets.US_ASCII));
                org.assertj.core.api.Assertions.assertThat(in.readLine())
                        .isEqualTo(this == REVERSES_LINES ? "ooz ycagel" : "legacy zoo");
            }
        }

        private final AutoCloseable[] parts;
        private final int port;
        private final Talk talk;
        private final Preamble preamble;

        ZooServer(int port, Talk talk, AutoCloseable... parts) {
            this(port, talk, Preamble.none(), parts);
        }

        ZooServer(int port, Talk talk, Preamble preamble, AutoCloseable... parts) {
            this.port = port;
            this.talk = talk;
            this.preamble = preamble;
            this.parts = parts;
        }

        /** The plaintext the server's protocol speaks before TLS. */
        public Preamble preamble() {
            return preamble;
        }

        /** A connection to the server over 127.0.0.1 with the preamble done, ready to upgrade. */
        public java.net.Socket connect() throws IOException {
            java.net.Socket socket = Loopback.connect(Loopback.v4(), port);
            try {
                preamble.negotiate(socket, java.time.Duration.ofSeconds(5));
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        static ZooServer of(OpenSslServer server) {
            return new ZooServer(server.port(), Talk.REVERSES_LINES, server);
        }

        static ZooServer echoing(PortProcess server) {
            return new ZooServer(server.port(), Talk.ECHOES, server);
        }

        static ZooServer of(HelloGate gate) {
            return new ZooServer(gate.port(), Talk.REVERSES_LINES, gate);
        }

        static ZooServer of(OpenSslServer server, HelloGate front) {
            return new ZooServer(front.port(), Talk.REVERSES_LINES, front, server);
        }

        public int port() {
            return port;
        }

        public Talk talk() {
            return talk;
        }

        /** Sends a line (or an HTTP request) over {@code tls} and checks the server's answer. */
        public void assertDataCrosses(javax.net.ssl.SSLSocket tls) throws IOException {
            talk.assertDataCrosses(tls);
        }

        @Override
        public void close() throws Exception {
            for (AutoCloseable c : parts) {
                c.close();
            }
        }
    }

    /** One cell of the matrix: reached with a named config, refused with a named cause, or beyond the backend. */
    public static final class Cell {
        /** How a cell ends. */
        public enum Outcome { REACHED, REFUSED, CANNOT }

        private final Outcome outcome;
        private final String text;
        private final UnaryOperator<TlsClientConfig.Builder> concessions;
        private final FailureKind kind;
        private final List<String> words;
        private String why;
        private boolean optIn;

        private Cell(Outcome outcome, String text, UnaryOperator<TlsClientConfig.Builder> concessions, FailureKind kind,
                List<String> words) {
            this.outcome = outcome;
            this.text = text;
            this.concessions = concessions;
            this.kind = kind;
            this.words = words;
        }

        /** Reached with the config {@code text} describes. */
        static Cell reached(String text, UnaryOperator<TlsClientConfig.Builder> concessions) {
            return new Cell(Outcome.REACHED, text, concessions, null, List.of());
        }

        /**
         * Refused during the handshake with {@code kind} because {@code why} (for the README), its message
         * containing {@code words}.
         */
        static Cell refused(FailureKind kind, String why, UnaryOperator<TlsClientConfig.Builder> concessions,
                String... words) {
            Cell c = new Cell(Outcome.REFUSED, kind.name(), concessions, kind, List.of(words));
            c.why = why;
            return c;
        }

        /**
         * Beyond this backend without a JVM-wide change or at all ({@code why}, for the README): the config
         * the other backends use is refused before any byte is sent, or the handshake fails, with a
         * message containing {@code word}.
         */
        static Cell cannot(String why, String word, UnaryOperator<TlsClientConfig.Builder> concessions) {
            Cell c = new Cell(Outcome.CANNOT, word, concessions, null, List.of(word));
            c.why = why;
            return c;
        }

        /**
         * This cell after the backend's JVM-wide opt-in ({@code TlsBackends.enableJvmWideOptIn(name)}), proven
         * in a JVM of its own; in the test's JVM the config is refused before connecting.
         */
        Cell afterOptIn() {
            Cell c = new Cell(outcome, text, concessions, kind, words);
            c.why = why;
            c.optIn = true;
            return c;
        }

        /** Whether the cell holds only after the backend's JVM-wide opt-in. */
        public boolean needsOptIn() {
            return optIn;
        }

        public Outcome outcome() {
            return outcome;
        }

        /** The README's words for this cell. */
        public String text() {
            return text;
        }

        public TlsClientConfig.Builder apply(TlsClientConfig.Builder base) {
            return concessions.apply(base);
        }

        public FailureKind kind() {
            return kind;
        }

        public List<String> words() {
            return words;
        }
    }

    /** The RDP listener's self-signed certificate as Windows makes it: RSA-2048, keyUsage keyEncipherment + dataEncipherment. */
    static Identity rdpCertificate(String signature) {
        return TestCertificate.builder("CN=rdp-host").selfSigned().rsa(2048).signatureAlgorithm(signature)
                .keyUsage(KeyUsage.keyEncipherment | KeyUsage.dataEncipherment).eku("1.3.6.1.5.5.7.3.1")
                .build("rdp-" + signature);
    }

    /** A CA-issued RSA-2048 leaf for localhost, for suites that need an RSA key (DHE_RSA, static RSA, RSA+SHA1). */
    static Identity rsaLeaf() {
        return TestCertificate.builder("CN=localhost").dns("localhost").rsa(2048).build("zoo-rsa");
    }

    /** RFC 2409's second Oakley group (1024-bit MODP, generator 2), the DH group old servers ship. */
    static final String OAKLEY_GROUP_2_PEM;

    static {
        BigInteger p = new BigInteger("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
                + "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(p));
        v.add(new ASN1Integer(2));
        try {
            OAKLEY_GROUP_2_PEM = "-----BEGIN DH PARAMETERS-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(new DERSequence(v).getEncoded())
                    + "\n-----END DH PARAMETERS-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
