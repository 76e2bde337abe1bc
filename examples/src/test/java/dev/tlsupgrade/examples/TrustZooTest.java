package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.TlsUpgrader;
import dev.tlsupgrade.testing.JsseTestServer;
import dev.tlsupgrade.testing.Loopback;
import dev.tlsupgrade.testing.OpenSslServer;
import dev.tlsupgrade.testing.TrustZoo;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The trust zoo ({@link TrustZoo}): every chain through {@code trustManager()} of every backend must
 * get the verdict the RFCs give it, the same on all four; and every chain of a rule class through a
 * real loopback handshake on one backend (each class on another, in turn) must end as expected,
 * refusals with the expected {@link FailureKind}. It lives here, where every backend is on the class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustZooTest {
    private static final List<String> BACKENDS = List.of("jsse", "openssl", "conscrypt", "bctls");
    private List<TrustZoo.Case> cases;

    @BeforeAll
    void makeTheZoo() throws Exception {
        cases = TrustZoo.cases();
    }

    @Test
    void theZooCoversEveryRuleClassWithAtLeast150Chains() {
        Set<String> classes = new LinkedHashSet<>();
        cases.forEach(c -> classes.add(c.ruleClass()));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(classes).containsExactly("names", "name-constraints", "keys", "signatures", "extended-key-usage",
                "key-usage", "key-identifiers", "profile", "validity", "paths");
        assertThat(cases).filteredOn(c -> c.expected() == null).hasSizeGreaterThan(40);
        assertThat(cases).filteredOn(c -> c.expected() != null).hasSizeGreaterThan(80);
    }

    @Test
    void everyBackendsTrustManagerGivesEveryChainItsVerdict() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (TrustZoo.Case c : cases) {
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (String backend : BACKENDS) {
                try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(c.config())) {
                    upgrader.trustManager().checkServerTrusted(c.chain(), authType(c));
                    verdicts.put(backend, "accepted");
                } catch (CertificateException e) {
                    verdicts.put(backend, "refused: " + e.getMessage());
                }
            }
            String expected = c.expected() == null ? "accepted" : "refused";
            if (!verdicts.values().stream().allMatch(v -> v.startsWith(expected))) {
                wrong.add(c + " should be " + expected + ": " + verdicts);
            }
            if (verdicts.values().stream().distinct().count() != 1) {
                wrong.add(c + ": the backends differ: " + verdicts);
            }
        }
        assertThat(wrong).as("of " + cases.size() + " chains").isEmpty();
    }

    @Test
    void aRealHandshakeEndsAsEachChainDeservesOnOneBackendPerRuleClass() throws Exception {
        List<String> classes = cases.stream().map(TrustZoo.Case::ruleClass).distinct().toList();
        // In turn, with the key class on bctls: BoringSSL (openssl, conscrypt) offers no signature scheme for P-521,
        // so a P-521 server cannot sign a handshake with them whatever the trust decision says.
        List<String> rotation = List.of("jsse", "openssl", "bctls", "conscrypt");
        List<String> wrong = new ArrayList<>();
        for (TrustZoo.Case c : cases) {
            String backend = rotation.get(classes.indexOf(c.ruleClass()) % rotation.size());
            FailureKind got = handshake(backend, c);
            if (got != c.expected()) {
                wrong.add(c + " on " + backend + ": expected " + (c.expected() == null ? "accepted" : c.expected())
                        + ", got " + (got == null ? "accepted" : got));
            }
        }
        assertThat(wrong).as("of " + cases.size() + " handshakes").isEmpty();
    }

    /** The kind of the refusal, or null when the handshake succeeded. */
    private static FailureKind handshake(String backend, TrustZoo.Case c) throws Exception {
        // openssl s_server sends every certificate it is given; the JDK's server may drop what is not on its path
        boolean extra = c.ruleClass().equals("paths");
        try (AutoCloseable server = extra ? OpenSslServer.builder().identity(c.server()).start()
                        : JsseTestServer.builder().identity(c.server()).start();
                TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(c.config())) {
            int port = server instanceof OpenSslServer o ? o.port() : ((JsseTestServer) server).port();
            try (SSLSocket tls = upgrader.upgrade(Loopback.connect(Loopback.v4(), port), c.host(), port)) {
                tls.getSession();
                return null;
            } catch (TlsUpgradeException e) {
                return e.kind();
            }
        }
    }

    private static String authType(TrustZoo.Case c) {
        return c.server().certificate().getPublicKey().getAlgorithm().equals("EC") ? "ECDHE_ECDSA" : "ECDHE_RSA";
    }
}
