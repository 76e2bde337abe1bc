package dev.tlsupgrade.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsClientConfig;
import dev.tlsupgrade.TlsUpgrader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs the public x509-limbo suite (its {@code limbo.json}, which stays outside this repository)
 * through {@code trustManager()} of every backend: each SERVER case's anchors, chain, peer name and
 * validation time, judged as the suite expects. Behind a flag, because the file is not here:
 * {@code -Dtlsupgrade.limbo=/path/to/limbo.json} (the README says how to make one). It writes
 * {@code target/limbo-report.md} and fails when the backends disagree on a case, when a case is
 * judged wrongly that {@link #KNOWN} does not explain, or when a case {@link #KNOWN} lists is judged
 * right (so the list stays true).
 */
@EnabledIfSystemProperty(named = "tlsupgrade.limbo", matches = ".+", disabledReason = "x509-limbo runs on demand: "
        + "-Dtlsupgrade.limbo=/path/to/limbo.json (the README says how to make the file)")
class LimboSuiteTest {
    private static final List<String> BACKENDS = List.of("jsse", "openssl", "conscrypt", "bctls");

    private static final String CN_RULE = "the CA/Browser Forum's 7.1.4.3 (a CN must copy a SAN entry): core never "
            + "reads the CN beside a SAN, and the suite's own cases expect leaves whose CN is in no SAN entry to be "
            + "accepted (rfc5280::nc::permitted-dns-match-more, webpki::san::leftmost-wildcard-san and four more), so no "
            + "CN rule passes both";
    private static final String NEEDS_SIGNING = "the leaf's keyUsage lacks digitalSignature, which a TLS server's key "
            + "needs to sign the handshake: the platform's end-entity check refuses it for every key exchange but "
            + "static RSA; the suite asks for no key usage";
    private static final String ANCHOR_CLOCK = "core's check that a configured anchor is in date reads the clock; the "
            + "suite's validation time reaches only the platform's validator, which the harness dates";

    /** The suite's cases judged wrongly on purpose or by the platform's PKIX, each with the reason. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("webpki::cn::case-mismatch", CN_RULE),
            Map.entry("webpki::cn::ipv4-hex-mismatch", CN_RULE),
            Map.entry("webpki::cn::ipv4-leading-zeros-mismatch", CN_RULE),
            Map.entry("webpki::cn::ipv6-non-rfc5952-mismatch", CN_RULE),
            Map.entry("webpki::cn::ipv6-uncompressed-mismatch", CN_RULE),
            Map.entry("webpki::cn::ipv6-uppercase-mismatch", CN_RULE),
            Map.entry("webpki::cn::not-in-san", CN_RULE),
            Map.entry("webpki::cn::punycode-not-in-san", CN_RULE),
            Map.entry("webpki::cn::utf8-vs-punycode-mismatch", CN_RULE),
            Map.entry("webpki::eku::ee-anyeku", "the CA/Browser Forum's 7.1.2.7.10: RFC 5280 allows "
                    + "anyExtendedKeyUsage beside serverAuth, and serverAuth is what core asks for"),
            Map.entry("webpki::eku::ee-critical-eku", "the CA/Browser Forum's 7.1.2.7.6: RFC 5280 lets a CA mark "
                    + "the extension critical, and private CAs' OpenSSL configurations do"),
            Map.entry("webpki::eku::root-has-eku", "the CA/Browser Forum's 7.1.2.1.2: RFC 5280 lets a root carry "
                    + "one, private PKIs use it to limit a root's purposes, and core honours it (a root whose EKU "
                    + "lacks serverAuth is refused)"),
            Map.entry("webpki::san::san-critical-with-nonempty-subject", "the CA/Browser Forum's rule: RFC 5280 "
                    + "4.2.1.6 says such a SAN SHOULD be non-critical, not MUST"),
            Map.entry("rfc5280::aki::cross-signed-root-missing-aki", "marked pedantic; the suite's "
                    + "cve::cve-2024-0567 expects the same shape (an anchor issued by another CA, without an authority "
                    + "key identifier) to be accepted, and core follows it: an anchor's issuer lies beyond the path"),
            Map.entry("pathlen::validation-ignores-pathlen-in-leaf", NEEDS_SIGNING),
            Map.entry("rfc5280::validity::notafter-exact", ANCHOR_CLOCK),
            Map.entry("rfc5280::validity::notbefore-exact", ANCHOR_CLOCK),
            Map.entry("rfc5280::validity::notafter-fractional", "inherited: the platform compares times to the "
                    + "millisecond; RFC 5280's are to the second, so at .999 the certificate is still valid"));

    @Test
    void everyServerCaseIsJudgedAsTheSuiteExpectsAndAlikeOnEveryBackend() throws Exception {
        Path file = Path.of(System.getProperty("tlsupgrade.limbo"));
        @SuppressWarnings("unchecked")
        Map<String, Object> suite = (Map<String, Object>) Json.parse(Files.readString(file));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) suite.get("testcases");

        Map<String, String> skipped = new TreeMap<>();
        Map<String, String> verdictOf = new LinkedHashMap<>();
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String id = (String) c.get("id");
            String skip = unsupported(c);
            if (skip != null) {
                skipped.put(id, skip);
                continue;
            }
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (String backend : BACKENDS) {
                verdicts.put(backend, verdict(backend, c));
            }
            if (verdicts.values().stream().distinct().count() != 1) {
                disagreements.add(id + ": " + verdicts);
            }
            verdictOf.put(id, verdicts.get("jsse"));
            byId.put(id, c);
        }
        Map<String, String> falseAccepts = new TreeMap<>();
        Map<String, String> falseRejects = new TreeMap<>();
        int judged = 0;
        for (Map.Entry<String, String> e : verdictOf.entrySet()) {
            Map<String, Object> c = byId.get(e.getKey());
            boolean accepted = e.getValue().equals("accepted");
            boolean right = accepted == "SUCCESS".equals(c.get("expected_result"));
            // The suite pairs cases no verifier can both pass (RFC 5280 against the CA/Browser Forum's rules): one
            // judged right stands for its pair.
            List<String> partners = ((List<?>) c.get("conflicts_with")).stream().map(String::valueOf)
                    .filter(verdictOf::containsKey).toList();
            if (!right && !partners.isEmpty() && partners.stream().allMatch(id -> verdictOf.get(id)
                    .equals("accepted") == "SUCCESS".equals(byId.get(id).get("expected_result")))) {
                skipped.put(e.getKey(), "conflicts with " + partners + ", judged right");
                continue;
            }
            judged++;
            if (!right) {
                (accepted ? falseAccepts : falseRejects).put(e.getKey(), e.getValue());
            }
        }

        int wrong = falseAccepts.size() + falseRejects.size();
        StringBuilder report = new StringBuilder("# x509-limbo through trustManager()\n\n")
                .append("Suite: ").append(file).append(" (").append(cases.size()).append(" cases)\n\n")
                .append(String.format("Judged %d, right %d (%.2f%%), false accepts %d, false rejects %d, skipped %d%n%n",
                        judged, judged - wrong, judged == 0 ? 0.0 : 100.0 * (judged - wrong) / judged,
                        falseAccepts.size(), falseRejects.size(), skipped.size()));
        section(report, "False accepts", withReasons(falseAccepts));
        section(report, "False rejects", withReasons(falseRejects));
        section(report, "Skipped (the harness cannot express the case)", skipped);
        Path out = Path.of("target", "limbo-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);

        Map<String, String> unexplained = new TreeMap<>(falseAccepts);
        unexplained.putAll(falseRejects);
        unexplained.keySet().removeAll(KNOWN.keySet());
        List<String> nowRight = KNOWN.keySet().stream()
                .filter(id -> !falseAccepts.containsKey(id) && !falseRejects.containsKey(id)).sorted().toList();
        assertThat(disagreements).as("cases the backends judge differently").isEmpty();
        assertThat(unexplained).as("cases judged wrongly that KNOWN does not explain").isEmpty();
        assertThat(nowRight).as("cases KNOWN lists that are now judged right: take them off").isEmpty();
    }

    /** Why the harness cannot judge {@code c} as the suite means it, or null when it can. */
    private static String unsupported(Map<String, Object> c) {
        if (!"SERVER".equals(c.get("validation_kind"))) {
            return "a " + c.get("validation_kind") + " case (tlsupgrade is a TLS client)";
        }
        if (!((List<?>) c.get("crls")).isEmpty()) {
            return "carries CRLs (revocation is checked online or from the stapled response, not from given CRLs)";
        }
        if (c.get("max_chain_depth") != null) {
            return "asks for a maximum chain depth (no config sets one)";
        }
        if (!((List<?>) c.get("expected_peer_names")).isEmpty()) {
            return "expects several peer names";
        }
        return null;
    }

    /** "accepted", or "refused: " and the message of the refusal. */
    private static String verdict(String backend, Map<String, Object> c) throws Exception {
        List<X509Certificate> anchors;
        List<X509Certificate> chain;
        try {
            anchors = certificates((List<?>) c.get("trusted_certs"));
            chain = new ArrayList<>(certificates(List.of(c.get("peer_certificate"))));
            chain.addAll(certificates((List<?>) c.get("untrusted_intermediates")));
        } catch (CertificateException e) {
            return "refused: the platform cannot parse a certificate: " + e.getMessage();
        }
        TlsClientConfig.Builder config = TlsClientConfig.builder().trustManager(pkix(anchors, (String) c.get("validation_time")));
        @SuppressWarnings("unchecked")
        Map<String, Object> peer = (Map<String, Object>) c.get("expected_peer_name");
        try {
            if (peer == null) {
                config.insecureSkipHostnameVerification();
            } else {
                config.serverName((String) peer.get("value"));
            }
        } catch (IllegalArgumentException e) {
            return "refused: the peer name is not one to connect to: " + e.getMessage();
        }
        try (TlsUpgrader upgrader = TlsBackends.get(backend).newUpgrader(config.build())) {
            upgrader.trustManager().checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN");
            return "accepted";
        } catch (CertificateException e) {
            return "refused: " + e.getMessage();
        }
    }

    /** The platform's PKIX validator over {@code anchors}, at the case's validation time when it names one. */
    private static X509TrustManager pkix(List<X509Certificate> anchors, String validationTime) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        PKIXBuilderParameters params = new PKIXBuilderParameters(store, new X509CertSelector());
        params.setRevocationEnabled(false);
        if (validationTime != null) {
            params.setDate(Date.from(OffsetDateTime.parse(validationTime).toInstant()));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(new CertPathTrustManagerParameters(params));
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static List<X509Certificate> certificates(List<?> pems) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Object pem : pems) {
            out.add((X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(((String) pem).getBytes(StandardCharsets.US_ASCII))));
        }
        return out;
    }

    private static Map<String, String> withReasons(Map<String, String> wrong) {
        Map<String, String> out = new TreeMap<>();
        wrong.forEach((id, verdict) -> out.put(id, verdict + (KNOWN.containsKey(id) ? " — known: " + KNOWN.get(id) : "")));
        return out;
    }

    private static void section(StringBuilder report, String title, Map<String, String> cases) {
        report.append("## ").append(title).append(" (").append(cases.size()).append(")\n\n");
        cases.forEach((id, why) -> report.append("- `").append(id).append("`: ")
                .append(why.replace('\n', ' ')).append('\n'));
        report.append('\n');
    }
}
