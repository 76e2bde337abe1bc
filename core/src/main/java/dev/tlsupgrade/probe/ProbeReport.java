package dev.tlsupgrade.probe;

import dev.tlsupgrade.TlsVersion;
import dev.tlsupgrade.internal.Text;
import dev.tlsupgrade.internal.trust.Fingerprints;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link TlsProbe} found: every attempt, the server's chain, and the config that works with
 * the strongest settings, as a Java snippet to copy. {@link #toTable()} for people,
 * {@link #toJson()} for scripts.
 */
public final class ProbeReport {
    private final String target;
    private final String preamble;
    private final List<ProbeResult> results;
    private final List<String> settings;

    ProbeReport(String target, String preamble, List<ProbeResult> results, List<String> settings) {
        this.target = target;
        this.preamble = preamble;
        this.results = List.copyOf(results);
        this.settings = List.copyOf(settings);
    }

    public String target() {
        return target;
    }

    public List<ProbeResult> results() {
        return results;
    }

    /**
     * The attempt to copy: the newest version that worked offered alone, through the first backend
     * (default order) that made it; else the smallest concession that worked (the probe tries them in
     * order of weakness); when none worked but some reached the server and failed only its certificate
     * check, the best of those the same way (the snippet then pins the server's key, never trusts
     * everything).
     */
    public Optional<ProbeResult> recommendation() {
        return best(ProbeResult::ok).or(() -> best(ProbeResult::reached));
    }

    private Optional<ProbeResult> best(java.util.function.Predicate<ProbeResult> worked) {
        Comparator<ProbeResult> newest = Comparator.comparingInt((ProbeResult r) -> TlsVersion.fromJsseName(r.version())
                .orElseThrow().ordinal()).thenComparing(r -> -results.indexOf(r));
        Optional<ProbeResult> plain = results.stream().filter(worked).filter(r -> !r.conceded()).max(newest);
        return plain.isPresent() ? plain : results.stream().filter(worked).filter(ProbeResult::conceded).findFirst();
    }

    /**
     * The Java that reproduces {@link #recommendation()}, with every setting the probe was given that
     * it needs (trust file, pins, known hosts, server name, timeout, preamble), or empty when nothing
     * reached the server. It expects a connected {@code Socket socket}.
     */
    public Optional<String> snippet() {
        return recommendation().map(r -> {
            TlsVersion v = TlsVersion.fromJsseName(r.version()).orElseThrow();
            String port = target.substring(target.lastIndexOf(':') + 1);
            String host = target.substring(0, target.lastIndexOf(':'));
            boolean range = r.conceded() && r.concession().startsWith(".protocols(");
            boolean jvmWide = r.conceded() && r.concession().startsWith("TlsBackends.enableJvmWideOptIn(");
            StringBuilder config = new StringBuilder(jvmWide ? r.concession() + "\n" : "").append("TlsUpgrader upgrader = TlsBackends.get(\"" + r.backend()
                    + "\").newUpgrader(TlsClientConfig.builder()\n        "
                    + (range ? r.concession() : ".protocols(TlsVersion." + v.name() + ")"));
            if (v.isLegacy() || range) {
                config.append("\n        .allowLegacyProtocols() // weak: only for this server");
            }
            if (r.conceded() && !range && !jvmWide) {
                config.append("\n        ").append(r.concession()).append(" // weak: only for this server");
            }
            for (String setting : settings) {
                config.append("\n        ").append(setting);
            }
            if (!r.ok()) {
                String pin = Fingerprints.base64(Fingerprints.ofPublicKey(r.chain().get(0)));
                config.append("\n        .pinnedCertificates(\"" + pin + "\") // the key this server presented: "
                        + "check it out of band");
            }
            config.append("\n        .build());\n");
            return config + (preamble.equals("none") ? "" : "Preamble." + preamble + "(" + (preamble.equals("smtp")
                    ? "\"client.name\"" : "") + ").negotiate(socket, Duration.ofSeconds(10));\n")
                    + "SSLSocket tls = upgrader.upgrade(socket, \"" + host + "\", " + port + ");";
        });
    }

    /** The row whose chain the report shows: the first that worked, else the first that reached the server. */
    private Optional<ProbeResult> shownRow() {
        return results.stream().filter(ProbeResult::ok).filter(r -> !r.chain().isEmpty()).findFirst()
                .or(() -> results.stream().filter(ProbeResult::reached).filter(r -> !r.chain().isEmpty()).findFirst());
    }

    /** The server's chain as the report shows it, leaf first; empty when no attempt got a chain. */
    public List<X509Certificate> shownChain() {
        return shownRow().map(ProbeResult::chain).orElse(List.of());
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder("probe of " + target + " (preamble: " + preamble + ")\n\n");
        // With several addresses (IPv6 and IPv4) every row says which one it came from.
        boolean perAddress = results.stream().map(ProbeResult::address).filter(java.util.Objects::nonNull).distinct()
                .count() > 1;
        sb.append(perAddress ? String.format("%-26s ", "address") : "")
                .append(String.format("%-10s %-8s %-5s %s%n", "backend", "version", "ok", "cipher / failure"));
        for (ProbeResult r : results) {
            sb.append(perAddress ? String.format("%-26s ", r.address()) : "")
                    .append(String.format("%-10s %-8s %-5s %s%n", r.backend(), r.version(), r.ok() ? "yes"
                            : TlsProbe.REFUSED_FALLBACK.equals(r.failure()) ? "newer" : "no",
                    (r.ok() ? r.cipherSuite() + " (" + r.handshakeMillis() + " ms)" : r.failure())
                            + (r.conceded() ? " with " + r.concession() : "")));
        }
        Optional<ProbeResult> shown = shownRow();
        shown.ifPresent(r -> {
            sb.append(r.ok() ? "\nserver certificate chain (verified against the configured trust):\n"
                    : "\nserver certificate chain (NOT trusted: compare these fingerprints with the server's out of band):\n");
            int i = 0;
            for (X509Certificate c : r.chain()) {
                sb.append("  ").append(i++).append(": ").append(describe(c)).append('\n');
                sb.append("     key ").append(Fingerprints.base64(Fingerprints.ofPublicKey(c))).append(", certificate SHA-256 ")
                        .append(Fingerprints.colonHex(Fingerprints.ofCertificate(c))).append('\n');
            }
        });
        sb.append('\n').append(snippet().map(s -> "recommended:\n" + s.indent(2))
                .orElse("no backend reached the server; see the failures above\n"));
        results.stream().filter(r -> !r.ok() && r.hint() != null).findFirst()
                .ifPresent(r -> sb.append("\nhint (").append(r.backend()).append(' ').append(r.version()).append("): ")
                        .append(r.hint()).append('\n'));
        return sb.toString();
    }

    /** One line about {@code c} for people: subject, issuer, validity, key, signature, SANs (escaped). */
    public static String describe(X509Certificate c) {
        String sans;
        try {
            sans = c.getSubjectAlternativeNames() == null ? "none" : c.getSubjectAlternativeNames().stream()
                    .map(l -> String.valueOf(l.get(1))).reduce((a, b) -> a + ", " + b).orElse("none");
        } catch (CertificateParsingException e) {
            sans = "unreadable";
        }
        // Certificate text is the peer's: escaped before it reaches the terminal or a log.
        return Text.escape(c.getSubjectX500Principal().getName()) + " issued by " + Text.escape(c.getIssuerX500Principal()
                .getName()) + ", valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ", "
                + c.getPublicKey().getAlgorithm() + " key, " + c.getSigAlgName() + ", SAN " + Text.escape(sans);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"target\":").append(json(target)).append(",\"preamble\":")
                .append(json(preamble)).append(",\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            ProbeResult r = results.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"backend\":").append(json(r.backend())).append(",\"version\":")
                    .append(json(r.version())).append(",\"ok\":").append(r.ok()).append(",\"cipher\":")
                    .append(json(r.cipherSuite())).append(",\"handshakeMillis\":")
                    .append(r.ok() ? String.valueOf(r.handshakeMillis()) : "null").append(",\"failure\":")
                    .append(json(r.failure())).append(",\"hint\":").append(json(r.hint())).append(",\"reached\":")
                    .append(r.reached()).append(",\"serverKey\":").append(json(r.chain().isEmpty() ? null
                            : Fingerprints.base64(Fingerprints.ofPublicKey(r.chain().get(0))))).append(",\"address\":")
                    .append(json(r.address())).append(",\"concession\":").append(json(r.concession())).append('}');
        }
        sb.append("],\"chain\":[");
        List<X509Certificate> chain = shownChain();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"subject\":").append(json(Text.escape(c.getSubjectX500Principal()
                    .getName()))).append(",\"issuer\":").append(json(Text.escape(c.getIssuerX500Principal().getName())))
                    .append(",\"notAfter\":").append(json(c.getNotAfter().toInstant().toString())).append(",\"key\":")
                    .append(json(Fingerprints.base64(Fingerprints.ofPublicKey(c)))).append(",\"certificateSha256\":")
                    .append(json(Fingerprints.colonHex(Fingerprints.ofCertificate(c)))).append('}');
        }
        sb.append("],\"recommendation\":");
        Optional<ProbeResult> rec = recommendation();
        if (rec.isPresent()) {
            sb.append("{\"backend\":").append(json(rec.get().backend())).append(",\"versions\":[")
                    .append(json(rec.get().version())).append("],\"snippet\":").append(json(snippet().orElseThrow()))
                    .append('}');
        } else {
            sb.append("null");
        }
        return sb.append('}').toString();
    }

    private static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
