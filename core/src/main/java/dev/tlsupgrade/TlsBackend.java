package dev.tlsupgrade;

import dev.tlsupgrade.internal.material.FixedKeyManager;
import dev.tlsupgrade.internal.material.KeyLog;
import dev.tlsupgrade.internal.material.ReloadableKeyManager;
import dev.tlsupgrade.internal.material.UserKeyManager;
import dev.tlsupgrade.internal.policy.SuitePolicy;
import dev.tlsupgrade.internal.trust.CertificateVerifier;
import dev.tlsupgrade.spi.ConnectorSettings;
import dev.tlsupgrade.spi.TlsBackendProvider;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One TLS provider as tlsupgrade offers it: "jsse", "bctls", "conscrypt" or "openssl". Get one from
 * {@link TlsBackends}; ask what it can do ({@link #capabilities()}); make upgraders from it.
 *
 * <p>A backend whose library cannot load here (a native library for another CPU, say) is still
 * listed: {@link #isAvailable()} says false and {@link #unavailabilityCause()} keeps the original
 * error. Nothing here throws for that until you ask for an upgrader.
 */
public final class TlsBackend {
    private final TlsBackendProvider provider;
    private final Throwable unavailabilityCause;

    TlsBackend(TlsBackendProvider provider) {
        this.provider = provider;
        this.unavailabilityCause = load(provider);
    }

    private static Throwable load(TlsBackendProvider provider) {
        try {
            provider.load();
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            return t;
        }
    }

    /** The backend's name, e.g. {@code "openssl"}. */
    public String name() {
        return provider.name();
    }

    int preference() {
        return provider.preference();
    }

    /** True when the backend's library loaded and it can upgrade connections. Never throws. */
    public boolean isAvailable() {
        return unavailabilityCause == null;
    }

    /** Why the backend cannot be used here: the original error from loading its library. */
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(unavailabilityCause);
    }

    /**
     * Returns normally when the backend is available; otherwise rethrows the original load error
     * (an {@link Error} or unchecked exception as it was; a checked one inside an
     * {@link IllegalStateException}).
     */
    public void checkAvailability() {
        Throwable t = unavailabilityCause;
        if (t == null) {
            return;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        throw new IllegalStateException("backend " + name() + " is not available: " + t, t);
    }

    /** What this backend can do now; {@link Capabilities#none()} when it is not available. */
    public Capabilities capabilities() {
        return isAvailable() ? provider.capabilities() : Capabilities.none();
    }

    /**
     * Every cipher suite this backend can offer when pinned with
     * {@link TlsClientConfig.Builder#cipherSuites(String...)}, legacy ones included (static RSA, CBC,
     * 3DES where the provider has it): the provider's own list, in IANA names where the provider uses
     * them. What core offers when nothing is pinned is a policy subset of these.
     *
     * @throws IllegalStateException when the backend is not available
     */
    public Set<String> supportedCipherSuites() {
        checkAvailability();
        Set<String> names = new TreeSet<>();
        provider.supportedCipherSuites().forEach(n -> names.add(SuitePolicy.iana(n)));
        return names;
    }

    /**
     * An upgrader for {@code config}. Everything that can be checked before a connection is checked
     * here: a version this backend cannot do, or a setting it cannot honour, is refused with an
     * {@link IllegalArgumentException} that names the backends that can.
     *
     * @throws IllegalStateException when the backend is not available (the cause is the load error)
     */
    public TlsUpgrader newUpgrader(TlsClientConfig config) {
        Objects.requireNonNull(config, "config");
        if (!isAvailable()) {
            throw new IllegalStateException("backend " + name() + " is not available here: " + unavailabilityCause
                    + "; available backends: " + TlsBackends.availableNames(), unavailabilityCause);
        }
        checkHonoured(config);
        CertificateVerifier verifier = CertificateVerifier.of(config);
        ReloadableKeyManager fileKeys = config.materialFiles().key() == null ? null : config.clientPrivateKey()
                .map(k -> new ReloadableKeyManager(k, config.clientCertificateChain())).orElse(null);
        X509ExtendedKeyManager keys = fileKeys != null ? fileKeys : config.clientKeyManager().map(UserKeyManager::of)
                .orElse(config.clientPrivateKey().map(k -> (X509ExtendedKeyManager) new FixedKeyManager(k,
                        config.clientCertificateChain())).orElse(null));
        KeyLog keyLog = config.keyLog().map(KeyLog::new).orElse(null);
        MaterialReloader reloader = new MaterialReloader(config.materialFiles(), config.reloadInterval(), verifier, fileKeys);
        return new TlsUpgrader(this, config, verifier, reloader, c -> {
            checkHonoured(c);
            return provider.newConnector(new ConnectorSettings(withPolicySuites(c), verifier, keys, keyLog));
        });
    }

    /**
     * {@code config} as the backend gets it: with the suites of core's policy named when the user
     * pinned none, so that every backend offers the same suites in the same order.
     */
    private TlsClientConfig withPolicySuites(TlsClientConfig config) {
        if (!config.cipherSuites().isEmpty()) {
            // Each pinned suite as the provider spells it (checkHonoured made sure it has them all).
            String[] spelled = config.cipherSuites().stream()
                    .map(n -> SuitePolicy.spelledAs(n, provider.supportedCipherSuites())).toArray(String[]::new);
            return config.toBuilder().cipherSuites(spelled).build();
        }
        boolean legacy = config.protocols().stream().anyMatch(TlsVersion::isLegacy);
        List<String> suites = SuitePolicy.defaults(legacy, provider.supportedCipherSuites());
        return config.toBuilder().cipherSuites(suites.toArray(new String[0])).build();
    }

    /** Refuses, naming the backends that can, a config this backend cannot honour. */
    private void checkHonoured(TlsClientConfig config) {
        Capabilities caps = capabilities();
        List<String> refused = new ArrayList<>();
        for (TlsVersion v : config.protocols()) {
            VersionSupport s = caps.versionSupport(v);
            if (s == VersionSupport.NEEDS_GLOBAL_OPT_IN) {
                refused.add(v + " only after the JVM-wide opt-in " + caps.globalOptIn().orElseThrow());
            } else if (s == VersionSupport.UNSUPPORTED) {
                refused.add(v + " not at all");
            }
        }
        if (!refused.isEmpty()) {
            List<TlsVersion> wanted = new ArrayList<>(config.protocols());
            throw new IllegalArgumentException("backend " + name() + " cannot offer " + wanted + ": it can do "
                    + String.join("; ", refused) + ". " + Advice.backendsFor(wanted, name()));
        }
        List<String> missing = new ArrayList<>(config.cipherSuites());
        missing.removeIf(n -> SuitePolicy.spelledAs(n, provider.supportedCipherSuites()) != null);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("backend " + name() + " cannot offer the cipher suites " + missing
                    + ": its provider does not have them" + (missing.stream().anyMatch(n -> n.startsWith("TLS_DHE_"))
                            && !provider.supportedCipherSuites().stream().anyMatch(n -> n.startsWith("TLS_DHE_"))
                            ? " (it has no DHE suites at all)" : "") + ". " + Advice.backendsWithSuites(missing, name()));
        }
        Map<TlsFeature, String> used = new EnumMap<>(TlsFeature.class);
        if (!config.cipherSuites().isEmpty()) {
            used.put(TlsFeature.CIPHER_SUITE_SELECTION, "cipherSuites(...)");
        }
        if (!config.alpn().isEmpty()) {
            used.put(TlsFeature.ALPN, "alpn(...)");
        }
        if (!config.namedGroups().isEmpty()) {
            used.put(TlsFeature.NAMED_GROUPS, "namedGroups(...)");
        }
        if (config.hasClientIdentity()) {
            used.put(TlsFeature.CLIENT_CERTIFICATES, "clientCertificate(...)");
        }
        if (config.keyLog().isPresent()) {
            used.put(TlsFeature.KEY_LOG, "keyLog(...)");
        }
        if (config.fallbackSignal()) {
            used.put(TlsFeature.FALLBACK_SCSV, "fallbackSignal()");
        }
        if (config.revocation() == RevocationMode.STAPLED_REQUIRED) {
            used.put(TlsFeature.OCSP_STAPLING, "revocation(STAPLED_REQUIRED)");
        }
        used.keySet().removeAll(caps.features());
        if (!used.isEmpty()) {
            throw new IllegalArgumentException("backend " + name() + " cannot honour " + String.join(", ", used.values())
                    + " (" + used.keySet() + "); rather than ignore it, the config is refused. "
                    + Advice.backendsWith(used.keySet(), name()));
        }
    }

    @Override
    public String toString() {
        return isAvailable() ? name() : name() + " (unavailable: " + unavailabilityCause + ")";
    }
}
