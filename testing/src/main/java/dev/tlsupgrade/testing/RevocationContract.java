package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.RevocationMode;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.TlsVersion;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation on every backend, against real answers on loopback: {@code openssl ocsp -port} with a
 * good, a revoked and an unknown certificate (and a responder that signs with the wrong key), a CRL
 * served over HTTP, a responder that is not there (soft and hard failure), and, on backends that ask
 * for it, {@code openssl s_server -status_file} stapling a good, a revoked or a stale response.
 * Each backend module runs it through a subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(90)
public abstract class RevocationContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    protected abstract String backendName();

    private TlsClientConfig config(RevocationMode mode) {
        return TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).handshakeTimeout(WAIT)
                .revocation(mode).build();
    }

    private void connect(TlsClientConfig config, Identity server) throws Exception {
        try (JsseTestServer s = JsseTestServer.builder().identity(server).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config);
                SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), s.port()), "localhost", s.port())) {
            echo(tls);
        }
    }

    private TlsUpgradeException refused(TlsClientConfig config, Identity server) throws Exception {
        try (JsseTestServer s = JsseTestServer.builder().identity(server).start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config)) {
            TlsUpgradeException e = catchThrowableOfType(TlsUpgradeException.class,
                    () -> upgrader.upgrade(Loopback.connect(Loopback.v4(), s.port()), "localhost", s.port()));
            assertThat(e).as("the upgrade is refused").isNotNull();
            return e;
        }
    }

    /** One line through the echoing server, then the socket is closed. */
    private static void echo(SSLSocket tls) throws Exception {
        try (tls) {
            assertThat(Echo.roundTrip(tls, "ping")).isEqualTo("ping");
        }
    }

    private static Identity leaf(String name, String ocspUrl, String crlUrl) {
        TestCertificate.Builder b = TestCertificate.builder("CN=" + name).dns("localhost");
        if (ocspUrl != null) {
            b.ocspUrl(ocspUrl);
        }
        if (crlUrl != null) {
            b.crlUrl(crlUrl);
        }
        return b.build(name);
    }

    @Test
    void theCasResponderSaysGoodRevokedOrUnknown() throws Exception {
        int port = Loopback.freePort(Loopback.v4());
        Identity good = leaf("ocsp-good", OcspResponder.url(port), null);
        Identity revoked = leaf("ocsp-revoked", OcspResponder.url(port), null);
        Identity unknown = leaf("ocsp-unknown", OcspResponder.url(port), null);
        Identity ca = TestPki.get().intermediate();
        try (OcspResponder responder = OcspResponder.start(port, ca, ca, List.of(good), List.of(revoked))) {
            connect(config(RevocationMode.HARD_FAIL), good);
            TlsUpgradeException r = refused(config(RevocationMode.SOFT_FAIL), revoked);
            assertThat(r.kind()).as(r.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
            assertThat(r.getMessage()).contains("is revoked").contains(OcspResponder.url(port));
            TlsUpgradeException u = refused(config(RevocationMode.SOFT_FAIL), unknown);
            assertThat(u.kind()).as(u.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
            assertThat(u.getMessage()).contains("not established");
            // Off, the default: nothing is asked.
            connect(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build(), revoked);

            // An answer is kept for its validity (openssl says: an hour): the responder gone, the good answer stays.
            // (Full handshakes both times: a resumed session is not checked again.)
            try (TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config(RevocationMode.HARD_FAIL)
                    .toBuilder().sessionResumption(false).build());
                    JsseTestServer s = JsseTestServer.builder().identity(good).start()) {
                echo(upgrader.upgrade(Loopback.connect(Loopback.v4(), s.port()), "localhost", s.port()));
                responder.close();
                echo(upgrader.upgrade(Loopback.connect(Loopback.v4(), s.port()), "localhost", s.port()));
            }
        }
    }

    @Test
    void aResponderSigningWithTheWrongKeyProvesNothing() throws Exception {
        int port = Loopback.freePort(Loopback.v4());
        Identity good = leaf("ocsp-wrong-signer", OcspResponder.url(port), null);
        try (OcspResponder impostor = OcspResponder.start(port, TestPki.get().intermediate(), TestPki.get().selfSigned(),
                List.of(good), List.of())) {
            TlsUpgradeException e = refused(config(RevocationMode.SOFT_FAIL), good);
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
            assertThat(e.getMessage()).contains("not established").contains("was refused");
        }
    }

    @Test
    void anUnreachableResponderIsSoftOrHardAsConfigured() throws Exception {
        int closed = Loopback.freePort(Loopback.v4());
        Identity leaf = leaf("ocsp-unreachable", OcspResponder.url(closed), null);
        connect(config(RevocationMode.SOFT_FAIL), leaf);
        TlsUpgradeException e = refused(config(RevocationMode.HARD_FAIL), leaf);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
        assertThat(e.getMessage()).contains("could not be reached").contains(OcspResponder.url(closed));
        assertThat(List.of(e.hint())).anyMatch(h -> h.contains("SOFT_FAIL"));
    }

    @Test
    void theCrlAtTheDistributionPoint() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(Loopback.v4(), 0), 0);
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/intermediate.crl";
        Identity good = leaf("crl-good", null, url);
        Identity revoked = leaf("crl-revoked", null, url);
        byte[] crl = TestPki.get().crl(TestPki.get().intermediate(), revoked);
        http.createContext("/intermediate.crl", exchange -> {
            exchange.sendResponseHeaders(200, crl.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(crl);
            }
        });
        http.start();
        try {
            connect(config(RevocationMode.HARD_FAIL), good);
            TlsUpgradeException e = refused(config(RevocationMode.HARD_FAIL), revoked);
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
            assertThat(e.getMessage()).contains("is revoked").contains("CRL");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void staplingWhereTheBackendCanAskForIt() throws Exception {
        boolean staples = TlsBackends.get(backendName()).capabilities().has(TlsFeature.OCSP_STAPLING);
        if (!staples) {
            assertThatThrownBy(() -> TlsBackends.get(backendName()).newUpgrader(config(RevocationMode.STAPLED_REQUIRED)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OCSP_STAPLING");
        }
        Identity leaf = TestPki.get().good();
        Identity ca = TestPki.get().intermediate();
        Instant now = Instant.now();
        byte[] good = TestPki.get().ocspResponse(leaf, ca, ca, "good", now, now.plus(Duration.ofHours(1)));
        byte[] revoked = TestPki.get().ocspResponse(leaf, ca, ca, "revoked", now, now.plus(Duration.ofHours(1)));
        byte[] stale = TestPki.get().ocspResponse(leaf, ca, ca, "good", now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(2)));
        RevocationMode mode = staples ? RevocationMode.STAPLED_REQUIRED : RevocationMode.STAPLED_IF_PRESENT;
        assertThat(stapled(mode, good)).isNull();
        if (staples) {
            assertThat(stapled(mode, revoked)).extracting(TlsUpgradeException::kind).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
            assertThat(stapled(mode, revoked).getMessage()).contains("is revoked").contains("stapled");
            assertThat(stapled(mode, stale).getMessage()).contains("not established");
            assertThat(stapled(mode, null).getMessage()).contains("stapled no OCSP response");
        } else {
            assertThat(stapled(mode, revoked)).as("nothing stapled reaches this backend").isNull();
        }
        // A certificate that demands stapling needs a staple whatever the mode.
        Identity mustStaple = TestCertificate.builder("CN=must staple").dns("localhost").mustStaple().build("must-staple");
        TlsUpgradeException e = refused(config(RevocationMode.SOFT_FAIL), mustStaple);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CERTIFICATE_REVOKED);
        assertThat(e.getMessage()).contains("must-staple");
    }

    /** Upgrades to openssl s_server stapling {@code response} (none if null); the failure, or null. */
    private TlsUpgradeException stapled(RevocationMode mode, byte[] response) throws Exception {
        OpenSslServer.Builder b = OpenSslServer.builder().identity(TestPki.get().good()).version(TlsVersion.TLS_1_2);
        if (response != null) {
            Path file = Files.createTempFile(dir, "ocsp", ".der");
            Files.write(file, response);
            b.stapleOcspResponse(file);
        }
        try (OpenSslServer server = b.start();
                TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config(mode))) {
            try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost",
                    server.port())) {
                return null;
            } catch (TlsUpgradeException e) {
                return e;
            }
        }
    }

    @Test
    void enginesTakeOnlyTheStapledModes() throws Exception {
        try (TlsUpgrader upgrader = TlsBackends.get(backendName()).newUpgrader(config(RevocationMode.HARD_FAIL))) {
            assertThatThrownBy(upgrader::sslContext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("blocking I/O");
        }
    }
}
