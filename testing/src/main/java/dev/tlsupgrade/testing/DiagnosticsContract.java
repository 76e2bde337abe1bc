package dev.tlsupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tlsupgrade.HandshakeStage;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsHandshakeInfo;
import dev.tlsupgrade.TlsUpgradeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every backend explains every {@link Situation} the same way: the right {@link dev.tlsupgrade.FailureKind},
 * and a message that names the backend, the host, the address connected, the stage, what was seen
 * and what to try. Each backend module runs it through a one-line subclass.
 */
@org.junit.jupiter.api.extension.ExtendWith(JvmStateGuard.class)
@Timeout(60)
public abstract class DiagnosticsContract {
    protected abstract String backendName();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Situation.class)
    void everySituationIsExplained(Situation situation) throws Exception {
        TlsBackend backend = TlsBackends.get(backendName());
        assumeTrue(situation.appliesTo(backend), () -> backendName() + " cannot make this attempt");
        TlsUpgradeException e = situation.provoke(backend);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(situation.expected());
        assertThat(e.backend()).isEqualTo(backendName());
        assertThat(e.remoteAddress()).isPresent();
        assertThat(e.getMessage()).startsWith(backendName() + " could not upgrade the connection to " + e.host() + " (127.0.0.1:")
                .contains(" while " + e.stage().description() + ": ").contains(" Try: ");
        assertThat(e.hint()).isNotBlank();
        switch (situation) {
            case SERVER_SPEAKS_ONLY_TLS_1_0 ->
                    assertThat(e.hint()).contains("TLS_1_0", "allowLegacyProtocols()", "Backends that can offer");
            case CLOSED_AFTER_CLIENT_HELLO, RESET_AFTER_CLIENT_HELLO -> {
                assertThat(e.hint()).contains("TLS_1_0", "allowLegacyProtocols()", "Backends that can offer");
                boolean bigHello = defaultClientHelloSize(backend) > 1400;
                assertThat(e.hint().contains("namedGroups(\"x25519\", \"secp256r1\")"))
                        .as("the hint names namedGroups exactly when our ClientHello is larger than one packet: " + e.hint())
                        .isEqualTo(bigHello);
            }
            case SERVER_WANTS_NEWER_THAN_OFFERED -> assertThat(e.hint()).contains("TLS 1.2 or newer");
            case PLAINTEXT_SERVER -> assertThat(e.getMessage()).contains("\"220 mail.example.test ESMTP ready\\r\\n\"");
            case SNI_REJECTED -> assertThat(e.getMessage()).contains("unrecognized_name", "tls.example.test");
            case UNKNOWN_CA -> assertThat(e.getMessage()).contains("certificate 1 'CN=tlsupgrade Test Intermediate CA'");
            case SELF_SIGNED_LEAF -> assertThat(e.getMessage()).contains("'CN=localhost' is self-signed");
            case SELF_SIGNED_ROOT_IN_CHAIN -> assertThat(e.getMessage())
                    .contains("self-signed root 'CN=tlsupgrade Test Root CA' (certificate 2)");
            case EXPIRED -> assertThat(e.getMessage()).contains("certificate 0 'CN=localhost' expired on");
            case NOT_YET_VALID -> assertThat(e.getMessage()).contains("certificate 0 'CN=localhost' is not valid before");
            case WRONG_HOST -> assertThat(e.getMessage()).contains("DNS:wrong.example.test", "not for 'localhost'");
            case WEAK_SIGNATURE -> assertThat(e.getMessage()).contains("MD5withRSA");
            case CERTIFICATE_ALTERED -> assertThat(e.getMessage())
                    .contains("certificate 0 'CN=localhost' does not verify: its SHA256withRSA signature does not match the key "
                            + "of certificate 1 'CN=tlsupgrade Test Intermediate CA', which issued it")
                    .doesNotContain("not a trusted CA");
            case RECORD_ALTERED -> assertThat(e.getMessage()).contains("bad_record_mac");
            case CLIENT_CERTIFICATE_MISSING -> assertThat(e.hint()).contains("clientCertificate(");
            case SILENT_SERVER -> assertThat(e.stage()).isEqualTo(HandshakeStage.READING_SERVER_HELLO);
            default -> {
            }
        }
    }

    private static int defaultClientHelloSize(TlsBackend backend) throws Exception {
        try (JsseTestServer server = JsseTestServer.builder().start();
                SSLSocket tls = backend.newUpgrader(TlsClientConfig.builder().trustedCertificates(TestPki.get().caPem()).build())
                        .upgrade(Loopback.connect(Loopback.v4(), server.port()), "localhost", server.port())) {
            return TlsHandshakeInfo.of(tls).orElseThrow().clientHelloSize();
        }
    }
}
