package dev.tlsupgrade.internal.trust;

import dev.tlsupgrade.FailureKind;
import dev.tlsupgrade.internal.Text;
import dev.tlsupgrade.internal.policy.HostName;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keys pinned per host pattern, checked on top of CA validation against every certificate of the
 * validated path, as OkHttp's CertificatePinner does: {@code example.com} for that host,
 * {@code *.example.com} for exactly one more label, {@code **.example.com} for example.com and any
 * name under it. Pins of every pattern that matches count; a host no pattern matches is not pinned.
 */
public final class HostPins {
    private record Rule(String pattern, List<byte[]> pins) {
    }

    private final List<Rule> rules;

    private HostPins(List<Rule> rules) {
        this.rules = rules;
    }

    /** The pins of {@code byPattern} (patterns as {@link #checkPattern} returns them). */
    public static HostPins of(Map<String, List<String>> byPattern) {
        List<Rule> rules = new ArrayList<>();
        byPattern.forEach((p, pins) -> rules.add(new Rule(p, pins.stream().map(Fingerprints::parse).toList())));
        return new HostPins(List.copyOf(rules));
    }

    /** Whether any host is pinned. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * {@code pattern} lower-cased, or an IllegalArgumentException saying what is wrong with it: the
     * part after a leading {@code *.} or {@code **.} must be a host name of two labels or more.
     */
    public static String checkPattern(String pattern) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        String rest = p.startsWith("**.") ? p.substring(3) : p.startsWith("*.") ? p.substring(2) : p;
        HostName name;
        try {
            name = HostName.of(rest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pin: the host pattern '" + Text.escape(pattern) + "' is not a host name, "
                    + "*.name or **.name: " + e.getMessage(), e);
        }
        if (rest.contains("*") || !rest.equals(p) && (name.isIpLiteral() || !rest.contains("."))) {
            throw new IllegalArgumentException("pin: the host pattern '" + Text.escape(pattern) + "' may have a wildcard "
                    + "only as its whole first label, before a name of two labels or more");
        }
        return p;
    }

    /** Whether some pattern matches {@code host}: it has pins. */
    public boolean covers(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return rules.stream().anyMatch(r -> matches(r.pattern(), h));
    }

    /**
     * Refuses {@code path} (validated, leaf first, ending with its anchor) for {@code host} when
     * patterns match the host and no certificate of the path has one of their keys.
     */
    public void check(String host, X509Certificate[] path) throws CertificateProblem {
        String h = host.toLowerCase(Locale.ROOT);
        List<Rule> matching = rules.stream().filter(r -> matches(r.pattern(), h)).toList();
        if (matching.isEmpty()) {
            return;
        }
        for (X509Certificate c : path) {
            byte[] key = Fingerprints.ofPublicKey(c);
            byte[] cert = Fingerprints.ofCertificate(c);
            for (Rule r : matching) {
                for (byte[] pin : r.pins()) {
                    if (MessageDigest.isEqual(pin, key) || MessageDigest.isEqual(pin, cert)) {
                        return;
                    }
                }
            }
        }
        StringBuilder chain = new StringBuilder();
        for (int i = 0; i < path.length; i++) {
            chain.append(i == 0 ? "" : ", ").append(i).append(" '").append(CertificateVerifier.subject(path[i]))
                    .append("' sha256/").append(Fingerprints.base64(Fingerprints.ofPublicKey(path[i])));
        }
        List<String> patterns = matching.stream().map(Rule::pattern).toList();
        String first = patterns.get(0);
        throw new CertificateProblem(FailureKind.PIN_MISMATCH, 0, CertificateVerifier.subject(path[0]),
                "the chain of '" + Text.escape(h) + "' validated, but none of its keys is pinned for " + patterns
                        + ": its certificates are " + chain + ".",
                "if the server's keys were changed on purpose, add the new one next to the old: pin(\"" + first + "\", \"sha256/"
                        + Fingerprints.base64(Fingerprints.ofPublicKey(path[path.length > 1 ? 1 : 0])) + "\") pins its "
                        + "issuer, for example; if not, a CA issued a certificate for this host that it should not have.",
                null);
    }

    static boolean matches(String pattern, String host) {
        if (pattern.startsWith("**.")) {
            String base = pattern.substring(3);
            return host.equals(base) || host.endsWith("." + base);
        }
        if (pattern.startsWith("*.")) {
            String base = pattern.substring(2);
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot + 1).equals(base);
        }
        return host.equals(pattern);
    }
}
