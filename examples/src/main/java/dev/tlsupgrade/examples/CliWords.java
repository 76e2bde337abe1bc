package dev.tlsupgrade.examples;

import dev.tlsupgrade.TlsUpgradeException;
import dev.tlsupgrade.probe.ProbeReport;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure told in the command line's words: the library's hints name API calls
 * ({@code trustedCertificates(Path pemFile)}), where a command-line user needs the flag
 * ({@code --trust CA.pem}); and an untrusted server's key is printed as the pin that would take it.
 */
final class CliWords {
    /** API calls the hints name, and the flag that does the same; longest first where one contains another. */
    private static final Map<String, String> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("trustedCertificates(Path pemFile)", "--trust CA.pem");
        FLAGS.put("trustedCertificates(...)", "--trust CA.pem");
        FLAGS.put("; insecureTrustAllCertificates() only for tests", "");
        FLAGS.put("pinnedCertificates(...)", "--pin sha256/...");
        FLAGS.put("knownHosts(file)", "--known-hosts FILE");
        FLAGS.put("serverName(...)", "--server-name NAME");
        FLAGS.put("handshakeTimeout(...)", "--timeout SECONDS");
        FLAGS.put("protocols(TLS_1_0, TLS_1_1, TLS_1_2) with allowLegacyProtocols()", "--protocols TLSv1,TLSv1.1,TLSv1.2");
        FLAGS.put("protocols(TLS_1_0, TLS_1_1) with allowLegacyProtocols()", "--protocols TLSv1,TLSv1.1");
        FLAGS.put("protocols(TLS_1_0) with allowLegacyProtocols()", "--protocols TLSv1");
        FLAGS.put("protocols(TLS_1_1) with allowLegacyProtocols()", "--protocols TLSv1.1");
        FLAGS.put("protocols(TLS_1_2, TLS_1_3)", "--protocols TLSv1.2,TLSv1.3");
        FLAGS.put("protocols(TLS_1_2)", "--protocols TLSv1.2");
        FLAGS.put("cipherSuites(...)", "--cipher-suites LIST");
        FLAGS.put("allowLegacyCertificates()", "--allow-legacy-certificates");
        FLAGS.put("allowLegacyDhGroups()", "--allow-legacy-dh-groups");
        FLAGS.put("allowServersWithoutSecureRenegotiation()", "--allow-servers-without-secure-renegotiation");
    }

    private CliWords() {
    }

    /** {@code text} with every API call it names replaced by its flag. */
    static String flags(String text) {
        String out = text;
        for (Map.Entry<String, String> e : FLAGS.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out.replace("cipherSuites(\"", "--cipher-suites \"");
    }

    /** The failure's message in flags, and for a server whose certificate was not trusted, the pin of its key. */
    static String failure(TlsUpgradeException e) {
        StringBuilder sb = new StringBuilder(flags(e.getMessage()));
        if (!e.presentedCertificates().isEmpty()) {
            X509Certificate leaf = e.presentedCertificates().get(0);
            sb.append("\nthe server's key: ").append(pin(leaf)).append(" (").append(ProbeReport.describe(leaf))
                    .append("); if it checks out out of band: --pin ").append(pin(leaf));
        }
        return sb.toString();
    }

    static String pin(X509Certificate c) {
        try {
            return "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(c.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
