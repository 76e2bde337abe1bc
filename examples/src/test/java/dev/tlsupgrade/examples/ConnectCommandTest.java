package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.testing.LegacyZoo;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.PostgresServer;
import dev.tlsupgrade.testing.TestPki;
import dev.tlsupgrade.testing.XrdpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code tlsupgrade connect}: the handshake printed against real servers, data copied, bad input in one line. */
@Timeout(120)
class ConnectCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run connect(String stdin, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ConnectCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anRdpServerBehindItsNegotiationShowsItsKeyAndBinding() throws Exception {
        try (XrdpServer server = XrdpServer.tls(TlsVersion.TLS_1_2)) {
            Run r = connect("", "127.0.0.1:" + server.port(), "--preamble", "rdp", "--trust",
                    TestPki.get().caPem().toString(), "--server-name", "localhost", "--no-io");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("version:       TLSv1.2", "SNI sent:      localhost", "server key:    sha256/",
                    "SubjectPublicKey (CredSSP pubKeyAuth): ", "tls-server-end-point: ", "0: CN=localhost issued by");
        }
    }

    @Test
    void postgresqlBehindItsSslRequest() throws Exception {
        try (PostgresServer server = PostgresServer.start(TlsVersion.TLS_1_3)) {
            Run r = connect("", "localhost:" + server.port(), "--preamble", "postgres", "--backend", "bctls", "--trust",
                    TestPki.get().caPem().toString(), "--no-io");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("address:       localhost/127.0.0.1:" + server.port(), "connected: bctls TLSv1.3",
                    "version:       TLSv1.3");
        }
    }

    /** Each old server's concession as a flag: without it the server is refused, with it data crosses. */
    @Test
    void theLegacyConcessionsAreFlags(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String ca = TestPki.get().caPem().toString();
        Object[][] cases = {
            {LegacyZoo.STATIC_RSA_ONLY, new String[] {"--cipher-suites", "TLS_RSA_WITH_AES_128_CBC_SHA"}},
            {LegacyZoo.RSA_1024_SHA1_APPLIANCE, new String[] {"--allow-legacy-certificates"}},
            {LegacyZoo.NO_SECURE_RENEGOTIATION, new String[] {"--allow-servers-without-secure-renegotiation"}},
            {LegacyZoo.DHE_1024, new String[] {"--backend", "bctls", "--cipher-suites", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "--allow-legacy-dh-groups"}},
        };
        for (Object[] c : cases) {
            LegacyZoo zoo = (LegacyZoo) c[0];
            String[] flags = (String[]) c[1];
            try (LegacyZoo.ZooServer server = zoo.start(dir)) {
                List<String> base = List.of("localhost:" + server.port(), "--trust", ca, "--no-io", "--timeout", "5");
                Run without = connect("", base.toArray(new String[0]));
                assertThat(without.code()).as(zoo + " without " + List.of(flags) + ": " + without.out()).isEqualTo(1);
                List<String> with = new java.util.ArrayList<>(base);
                with.addAll(List.of(flags));
                Run r = connect("", with.toArray(new String[0]));
                assertThat(r.code()).as(zoo + " with " + List.of(flags) + ": " + r.err()).isZero();
                assertThat(r.out()).contains("connected: ");
            }
        }
    }

    @Test
    void dataCrossesBothWaysUntilStandardInputEnds() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().start()) {
            Run r = connect("hello server\n", "localhost:" + server.port(), "--trust", TestPki.get().caPem().toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("certificate chain:", new StringBuilder("hello server").reverse().toString());
        }
    }

    @Test
    void badInputIsOneLineNeverAStackTrace() throws Exception {
        assertThat(connect("").code()).isEqualTo(2);
        assertThat(connect("", "--help").out()).contains("usage: connect HOST:PORT");
        for (String[] args : new String[][] {
                {"localhost:0"},
                {"localhost"},
                {"localhost:443", "--trust", "/no/such/ca.pem"},
                {"localhost:443", "--timeout", "abc"},
                {"localhost:443", "--backend", "nosuch"},
                {"localhost:443", "--preamble", "gopher"},
                {"localhost:443", "--protocols", "TLSv9"},
                {"localhost:443", "--pin", "sha256/short"},
                {"localhost:443", "--bogus", "x"}}) {
            Run r = connect("", args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("connect: ").doesNotContain("\n\tat ")
                    .doesNotContain("Exception");
        }
        Run unknown = connect("", "nosuchhost.invalid:443", "--no-io");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown host 'nosuchhost.invalid'");
    }

    /** A failure speaks in flags, and an untrusted server's key is printed as the pin that would take it. */
    @Test
    void anUntrustedServerGetsItsPinAndHintsInFlags() throws Exception {
        try (OpenSslServer server = OpenSslServer.builder().identity(TestPki.get().selfSigned()).start()) {
            Run r = connect("", "localhost:" + server.port(), "--no-io", "--backend", "jsse");
            assertThat(r.code()).isEqualTo(1);
            String pin = CliWords.pin(TestPki.get().selfSigned().certificate());
            assertThat(r.err()).contains("--trust CA.pem", "if it checks out out of band: --pin " + pin)
                    .doesNotContain("trustedCertificates(").doesNotContain("insecureTrustAllCertificates");
            Run pinned = connect("", "localhost:" + server.port(), "--no-io", "--backend", "jsse", "--pin", pin);
            assertThat(pinned.code()).as(pinned.err()).isZero();
        }
    }

    /**
     * Arguments are checked before any connection, in command-line words: port 1 has nothing listening,
     * so an exit code of 2 (not 1) proves nothing was dialed.
     */
    @Test
    void everyArgumentIsCheckedBeforeConnectingInCommandLineWords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String ca = TestPki.get().caPem().toString();
        String pin = "sha256/" + "A".repeat(43) + "=";
        Object[][] cases = {
            {new String[] {"--known-hosts", "/no/such/dir/known_hosts"}, "--known-hosts /no/such/dir/known_hosts: the "
                    + "directory /no/such/dir does not exist"},
            {new String[] {"--keylog", "/no/such/dir/keys.log"}, "--keylog /no/such/dir/keys.log: the directory "
                    + "/no/such/dir does not exist"},
            {new String[] {"--keylog", dir.toString()}, "not a regular file"},
            {new String[] {"--trust", "/no/such/ca.pem"}, "--trust /no/such/ca.pem: no such file"},
            {new String[] {"--backend", "jsee"}, "did you mean jsse?"},
            {new String[] {"--backend", "jsse", "--backend", "openssl"}, "--backend was given twice"},
            {new String[] {"--pin", pin, "--known-hosts", dir.resolve("kh").toString()}, "--pin and --known-hosts cannot go together"},
            {new String[] {"--pin", pin, "--trust", ca}, "--pin and --trust cannot go together"},
            {new String[] {"--timeout", "0"}, "--timeout must be at least 1 second"},
        };
        for (Object[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("127.0.0.1:1", "--no-io"));
            args.addAll(List.of((String[]) c[0]));
            Run r = connect("", args.toArray(new String[0]));
            assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).as(args.toString()).contains((String) c[1]).doesNotContain("\n");
        }
        assertThat(connect("", "127.0.0.1:1", "--backend", "jsee").err()).contains("available: ");
    }
}
