package dev.tlsupgrade;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Advice that depends on what the backends here can do, read from their {@link Capabilities} at the
 * moment it is given, so that no message names a backend from a list typed by hand.
 */
final class Advice {
    private Advice() {
    }

    /**
     * "Backends that can offer TLSv1: openssl, jsse (after its opt-in call)." or a sentence saying none,
     * leaving out {@code except}.
     */
    static String backendsFor(Collection<TlsVersion> versions, String except) {
        List<String> ready = new ArrayList<>();
        List<String> optIn = new ArrayList<>();
        for (TlsBackend b : TlsBackends.available()) {
            if (b.name().equals(except)) {
                continue;
            }
            Capabilities c = b.capabilities();
            if (versions.stream().allMatch(c::supports)) {
                ready.add(b.name());
            } else if (versions.stream().allMatch(v -> c.versionSupport(v) != VersionSupport.UNSUPPORTED)) {
                optIn.add(b.name() + " (after " + c.globalOptIn().orElse("its JVM-wide opt-in") + ")");
            }
        }
        String what = versions.size() == 1 ? versions.iterator().next().toString() : versions.toString();
        if (ready.isEmpty() && optIn.isEmpty()) {
            return "No " + (except.isEmpty() ? "" : "other ") + "backend on the class path can offer " + what + ".";
        }
        StringBuilder sb = new StringBuilder("Backends that can offer ").append(what).append(": ");
        List<String> all = new ArrayList<>(ready);
        all.addAll(optIn);
        return sb.append(String.join(", ", all)).append('.').toString();
    }

    /** "Backends that can: conscrypt, openssl." for backends other than {@code except} having every feature. */
    static String backendsWith(Set<TlsFeature> features, String except) {
        List<String> able = new ArrayList<>();
        for (TlsBackend b : TlsBackends.available()) {
            if (!b.name().equals(except) && b.capabilities().features().containsAll(features)) {
                able.add(b.name());
            }
        }
        String other = except.isEmpty() ? "" : "other ";
        return able.isEmpty() ? "No " + other + "backend on the class path can." : "Backends that can: " + String.join(", ", able) + ".";
    }

    /** "Backends that have them: jsse, bctls." for backends other than {@code except} that can offer every suite. */
    static String backendsWithSuites(Collection<String> suites, String except) {
        List<String> able = backendNamesWithSuites(suites);
        able.remove(except);
        String other = except.isEmpty() ? "" : "other ";
        return able.isEmpty() ? "No " + other + "backend on the class path has them."
                : "Backends that have them: " + String.join(", ", able) + ".";
    }

    /** The backends available here that can offer every one of {@code suites}. */
    static List<String> backendNamesWithSuites(Collection<String> suites) {
        List<String> able = new ArrayList<>();
        for (TlsBackend b : TlsBackends.available()) {
            if (suites.stream().allMatch(n -> b.supportedCipherSuites().contains(dev.tlsupgrade.internal.policy.SuitePolicy.iana(n)))) {
                able.add(b.name());
            }
        }
        return able;
    }

    /**
     * "jsse, bctls." or a sentence saying none: the available backends other than {@code excluded}, for
     * advice about a limit of one provider library (BoringSSL under openssl and conscrypt).
     */
    static String backendsWithout(String... excluded) {
        List<String> names = new ArrayList<>();
        for (TlsBackend b : TlsBackends.available()) {
            if (!List.of(excluded).contains(b.name())) {
                names.add(b.name());
            }
        }
        return names.isEmpty() ? "none is on the class path." : String.join(", ", names) + ".";
    }

    /** Whether the available backend {@code name} has {@code feature}. */
    static boolean has(String name, TlsFeature feature) {
        return TlsBackends.available().stream().anyMatch(b -> b.name().equals(name) && b.capabilities().has(feature));
    }
}
