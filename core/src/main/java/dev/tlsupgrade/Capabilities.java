package dev.tlsupgrade;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one backend can do: which TLS versions, under which condition, and which optional features.
 *
 * <p>A backend reports here only what its contract tests prove, so an application can ask before it
 * connects ("can this backend reach a TLS 1.0 server without changing the JVM?") instead of finding
 * out from a failed handshake. Immutable; made by backends through {@link #builder()}.
 */
public final class Capabilities {
    private static final Capabilities NONE = builder().build();

    private final Map<TlsVersion, VersionSupport> versions;
    private final Set<TlsFeature> features;
    private final String globalOptIn;

    private Capabilities(Builder b) {
        EnumMap<TlsVersion, VersionSupport> v = new EnumMap<>(TlsVersion.class);
        for (TlsVersion version : TlsVersion.values()) {
            v.put(version, b.versions.getOrDefault(version, VersionSupport.UNSUPPORTED));
        }
        this.versions = Collections.unmodifiableMap(v);
        this.features = Collections.unmodifiableSet(b.features.isEmpty()
                ? EnumSet.noneOf(TlsFeature.class) : EnumSet.copyOf(b.features));
        this.globalOptIn = b.globalOptIn;
        if (globalOptIn == null && versions.containsValue(VersionSupport.NEEDS_GLOBAL_OPT_IN)) {
            throw new IllegalStateException("a version needs a global opt-in, but no opt-in call is named");
        }
    }

    /** Capabilities of a backend that can do nothing (for example one whose native library did not load). */
    public static Capabilities none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How {@code version} is supported; never null. */
    public VersionSupport versionSupport(TlsVersion version) {
        return versions.get(Objects.requireNonNull(version, "version"));
    }

    /** True when {@code version} works per connection with no global change. */
    public boolean supports(TlsVersion version) {
        return versionSupport(version) == VersionSupport.SUPPORTED;
    }

    /** The optional features this backend offers. */
    public Set<TlsFeature> features() {
        return features;
    }

    public boolean has(TlsFeature feature) {
        return features.contains(feature);
    }

    /**
     * The named JVM-wide call that turns {@link VersionSupport#NEEDS_GLOBAL_OPT_IN} versions into
     * supported ones, for example {@code "JsseBackend.enableLegacyProtocolsGlobally()"}.
     */
    public Optional<String> globalOptIn() {
        return Optional.ofNullable(globalOptIn);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capabilities c && c.versions.equals(versions) && c.features.equals(features)
                && Objects.equals(c.globalOptIn, globalOptIn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(versions, features, globalOptIn);
    }

    @Override
    public String toString() {
        return "Capabilities" + versions + features;
    }

    /** Builds {@link Capabilities}; a version not mentioned is {@link VersionSupport#UNSUPPORTED}. */
    public static final class Builder {
        private final EnumMap<TlsVersion, VersionSupport> versions = new EnumMap<>(TlsVersion.class);
        private final EnumSet<TlsFeature> features = EnumSet.noneOf(TlsFeature.class);
        private String globalOptIn;

        private Builder() {
        }

        public Builder version(TlsVersion version, VersionSupport support) {
            versions.put(Objects.requireNonNull(version, "version"), Objects.requireNonNull(support, "support"));
            return this;
        }

        public Builder feature(TlsFeature... more) {
            for (TlsFeature f : more) {
                features.add(Objects.requireNonNull(f, "feature"));
            }
            return this;
        }

        /** Names the JVM-wide call a user makes to enable the versions that need it. */
        public Builder globalOptIn(String call) {
            this.globalOptIn = Objects.requireNonNull(call, "call");
            return this;
        }

        public Capabilities build() {
            return new Capabilities(this);
        }
    }
}
