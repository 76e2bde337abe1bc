package dev.tlsupgrade.examples;

import dev.tlsupgrade.Capabilities;
import dev.tlsupgrade.TlsBackend;
import dev.tlsupgrade.TlsBackends;
import dev.tlsupgrade.TlsFeature;
import dev.tlsupgrade.TlsVersion;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The capability table of the backends on the class path, in Markdown, made from the same
 * {@link Capabilities} the contract tests check. The README's table is this output; a test fails
 * when they differ.
 */
final class CapabilityTable {
    private CapabilityTable() {
    }

    static String markdown() {
        return markdown(TlsBackends.all());
    }

    static String markdown(List<TlsBackend> backends) {
        StringBuilder sb = new StringBuilder("| backend |");
        for (TlsVersion v : TlsVersion.values()) {
            sb.append(' ').append(v.jsseName()).append(" |");
        }
        sb.append(" features | JVM-wide opt-in |\n|---|");
        sb.append("---|".repeat(TlsVersion.values().length)).append("---|---|\n");
        for (TlsBackend b : backends) {
            Capabilities c = b.capabilities();
            sb.append("| ").append(b.name()).append(b.isAvailable() ? "" : " (unavailable here)").append(" |");
            for (TlsVersion v : TlsVersion.values()) {
                sb.append(' ').append(c.versionSupport(v)).append(" |");
            }
            sb.append(' ').append(c.features().stream().map(TlsFeature::name).collect(Collectors.joining(", ")))
                    .append(" | ").append(c.globalOptIn().map(call -> "`" + call + "`").orElse("")).append(" |\n");
        }
        return sb.toString();
    }
}
